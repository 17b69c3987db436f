import { LENGTHS_FORMAT_ID } from '../canonical/lengths-meta.js';
import { LENGTHS_CSV_FORMAT, LENGTHS_CSV_REQUIRED, openLengthsCsv } from '../canonical/lengths-csv.js';
import type { LengthsFormat } from './format.js';

export const lengthsCsvFormat: LengthsFormat = {
  name: LENGTHS_CSV_FORMAT,
  kind: 'lengths',
  container: 'csv',
  description: "the project's canonical response-length trace, one sample per CSV row (traces/README.md)",
  keys: LENGTHS_CSV_REQUIRED,
  signature: `CSV with columns ${LENGTHS_CSV_REQUIRED.join(', ')} (optionally after a '# {"$meta": {"format": "${LENGTHS_FORMAT_ID}", …}}' line)`,
  open: openLengthsCsv,
};
