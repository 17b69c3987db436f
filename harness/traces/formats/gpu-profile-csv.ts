import { GPU_PROFILE_CSV_FORMAT, readGpuProfileCsv, TIME_COLUMNS } from '../canonical/gpu-profile-csv.js';
import { matchesKeys } from './match.js';
import type { GpuProfileFormat } from './format.js';

const KEYS = ['device', 'op', 'tp'];

export const gpuProfileCsvFormat: GpuProfileFormat = {
  name: GPU_PROFILE_CSV_FORMAT,
  kind: 'gpu-profile',
  container: 'csv',
  description: "the project's canonical GPU profile: one measured timing per CSV row (traces/README.md)",
  keys: KEYS,
  signature: `CSV with columns ${KEYS.join(', ')} and one of ${Object.keys(TIME_COLUMNS).join(' / ')}`,
  detect: (probe) => matchesKeys(probe, 'csv', KEYS) && probe.csvHeader!.some((name) => name in TIME_COLUMNS),
  read: readGpuProfileCsv,
};
