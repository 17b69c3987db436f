import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acknowledgementFor, acknowledgementWarnings, isValidDate, readAcknowledgements } from '../../harness/nightly/acknowledge.js';
import { scratchDir } from '../cli/run-cli.js';

const list = [
  { id: 'sim/a/verl:costUsd', reason: 'fixing the price table', expires: '2025-03-31' },
  { id: 'cost/h100', reason: 'recalibration', expires: '2025-01-31' },
];

describe('acknowledge list', async () => {
  const dir = await scratchDir('nightly-ack');

  it('silences exactly the named figure, or every figure of the named case, until its expiry day inclusive', () => {
    expect(acknowledgementFor(list, 'sim/a/verl:costUsd', 'sim/a/verl', '2025-03-31')?.reason).toBe('fixing the price table');
    expect(acknowledgementFor(list, 'sim/a/verl:costUsd', 'sim/a/verl', '2025-04-01')).toBeUndefined();
    expect(acknowledgementFor(list, 'sim/a/verl:iterationTimeS', 'sim/a/verl', '2025-03-01')).toBeUndefined();
    expect(acknowledgementFor(list, 'sim/a/verl-2:costUsd', 'sim/a/verl-2', '2025-03-01')).toBeUndefined();
    expect(acknowledgementFor(list, 'cost/h100:decode', 'cost/h100', '2025-01-31')?.reason).toBe('recalibration');
    // A case id is not a prefix: cost/h100-7b is another case.
    expect(acknowledgementFor(list, 'cost/h100-7b:decode', 'cost/h100-7b', '2025-01-01')).toBeUndefined();
  });

  it('warns about expired entries and entries that name nothing', () => {
    expect(acknowledgementWarnings(list, new Set(['sim/a/verl:costUsd']), '2025-02-01')).toEqual([
      "acknowledgement of 'cost/h100' expired on 2025-01-31 and no longer silences it (recalibration); renew it or remove it",
    ]);
    expect(acknowledgementWarnings(list, new Set(['cost/h100']), '2025-01-01')).toEqual(["acknowledgement of 'sim/a/verl:costUsd' names no case or figure of this suite"]);
  });

  it('reads the file, with located errors for bad dates and duplicates; a missing file is an empty list', async () => {
    expect(await readAcknowledgements(join(dir, 'missing.json'))).toEqual([]);
    const path = join(dir, 'ack.json');
    await writeFile(path, JSON.stringify({ acknowledged: list }, null, 2));
    expect(await readAcknowledgements(path)).toEqual(list);
    await writeFile(path, '{ "acknowledged": [\n  { "id": "x", "reason": "r", "expires": "2025-02-30" },\n  { "id": "x", "reason": "r", "expires": "2025-02-01" }\n] }');
    await expect(readAcknowledgements(path)).rejects.toThrow(
      `${path}:2:31: field 'acknowledged[0].expires' value '2025-02-30': must be a date YYYY-MM-DD (the last day the acknowledgement holds, UTC)\n${path}:3:5: field 'acknowledged[1].id' value 'x': is acknowledged twice`,
    );
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2025-02-29')).toBe(false);
  });
});
