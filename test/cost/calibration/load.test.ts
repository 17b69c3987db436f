import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalibration } from '../../../harness/cost/calibration/load.js';
import { DEFAULT_CALIBRATION_PATH } from '../../../harness/cost/index.js';
import { InputError } from '../../../harness/util/input-error.js';

let dir = '';
let shipped: Record<string, unknown>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cost-calibration-'));
  shipped = JSON.parse(await readFile(DEFAULT_CALIBRATION_PATH, 'utf8')) as Record<string, unknown>;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function errorOf(value: unknown): Promise<InputError> {
  const path = join(dir, 'calibration.json');
  await writeFile(path, JSON.stringify(value, null, 2));
  try {
    await loadCalibration(path);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const clone = <T>(value: T): T => structuredClone(value);

describe('loadCalibration', () => {
  it('reads the shipped calibration back unchanged', async () => {
    expect(await loadCalibration(DEFAULT_CALIBRATION_PATH)).toEqual(shipped);
  });

  it('rejects an efficiency given in percent, naming the field path and value', async () => {
    const bad = clone(shipped) as { devices: Record<string, { kernels: Record<string, { mbu: number }> }> };
    bad.devices['h100-sxm']!.kernels['gemm']!.mbu = 95;
    const error = await errorOf(bad);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.field).toBe('devices.h100-sxm.kernels.gemm.mbu');
    expect(error.message).toMatch(/field 'devices\.h100-sxm\.kernels\.gemm\.mbu' value '95': must be at most 1 fraction of peak \(0–1, not percent\)/);
  });

  it('rejects an overhead that is surely milliseconds, an unknown GPU and a wrong schema together', async () => {
    const bad = clone(shipped) as { schema: string; devices: Record<string, { decode?: { stepOverheadS: number } }> };
    bad.schema = 'something-else/2';
    bad.devices['h100-sxm']!.decode!.stepOverheadS = 1482;
    bad.devices['tpu-v5'] = {};
    const error = await errorOf(bad);
    expect(error.problems.map((p) => p.field).sort()).toEqual(['devices.h100-sxm.decode.stepOverheadS', 'devices.tpu-v5', 'schema']);
  });

  it('rejects a fitted range that is not [low, high]', async () => {
    const bad = clone(shipped) as { devices: Record<string, { kernels: Record<string, { fit: { range: Record<string, unknown> } }> }> };
    bad.devices['a100-80gb']!.kernels['gemm']!.fit.range['tokens'] = [4096, 1];
    const error = await errorOf(bad);
    expect(error.message).toMatch(/field 'devices\.a100-80gb\.kernels\.gemm\.fit\.range\.tokens' value '\[4096,1\]': must be \[low, high\]/);
  });
});
