import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { calibrationBorrowing } from '../../../harness/cost/calibration/borrowing.js';
import { resolveParameters } from '../../../harness/cost/calibration/resolve.js';
import type { Calibration } from '../../../harness/cost/calibration/types.js';
import { DEFAULT_COST_ASSUMPTIONS } from '../../../harness/cost/assumptions.js';
import { GPU_CATALOG, gpuById } from '../../../harness/cost/catalog/index.js';

const calibration = JSON.parse(await readFile(new URL('../../../harness/cost/calibrations/public-profiles.json', import.meta.url), 'utf8')) as Calibration;

describe('calibration borrowing', () => {
  it('says, for every catalog GPU under the shipped calibration, whose efficiencies it runs on', () => {
    const table = Object.fromEntries(GPU_CATALOG.map((gpu) => [gpu.id, `${calibrationBorrowing(gpu, calibration).origin}:${calibrationBorrowing(gpu, calibration).from ?? ''}`]));
    expect(table).toEqual({
      'a100-80gb': 'own:a100-80gb',
      a800: 'same-silicon:a100-80gb',
      'h100-sxm': 'own:h100-sxm',
      'h100-sxm-powercapped': 'same-silicon:h100-sxm',
      h800: 'same-silicon:h100-sxm',
      h20: 'other-family:h100-sxm',
      l40s: 'other-family:a100-80gb',
      mi300x: 'other-family:h100-sxm',
      h200: 'same-silicon:h100-sxm',
      gb200: 'other-family:h100-sxm',
    });
  });

  it('agrees with where resolveParameters takes the GEMM efficiencies from', () => {
    for (const gpu of GPU_CATALOG) {
      const origin = resolveParameters(gpu, calibration, DEFAULT_COST_ASSUMPTIONS).origins['kernel:gemm'];
      const borrowing = calibrationBorrowing(gpu, calibration);
      expect(origin.kind === 'fitted' ? 'own' : origin.kind === 'default' ? 'defaults' : 'borrowed').toBe(borrowing.origin === 'same-silicon' || borrowing.origin === 'other-family' ? 'borrowed' : borrowing.origin);
      if (origin.device !== undefined) expect(origin.device).toBe(borrowing.from);
    }
  });

  it('falls back to the defaults without a calibration, and treats an alias of unknown kind as another family', () => {
    expect(calibrationBorrowing(gpuById('h800'), undefined).origin).toBe('defaults');
    const { calibrationAliasKind: _k, ...unknownKind } = gpuById('h800');
    expect(calibrationBorrowing(unknownKind, calibration).origin).toBe('other-family');
  });
});
