import { MOONCAKE_FORMAT, MOONCAKE_KEYS, openMooncakeTrace } from '../adapters/mooncake.js';
import type { LengthsFormat } from './format.js';

export const mooncakeFormat: LengthsFormat = {
  name: MOONCAKE_FORMAT,
  kind: 'lengths',
  container: 'jsonl',
  description: "Mooncake request trace (FAST'25, Kimi production): lengths with 512-token prefix-block hash ids",
  keys: MOONCAKE_KEYS,
  signature: `JSON lines with keys ${MOONCAKE_KEYS.join(', ')}`,
  open: openMooncakeTrace,
};
