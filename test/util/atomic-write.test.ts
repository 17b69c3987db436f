import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeStreamAtomic } from '../../harness/util/atomic-write.js';

describe('atomic writes', () => {
  it('replaces the file only when the new contents are complete', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rr-atomic-'));
    const target = join(dir, 'out.jsonl');
    await writeFile(target, 'old contents\n');
    async function* failingHalfWay() {
      yield 'line 1\n';
      throw new Error('bad input on line 2');
    }
    await expect(writeStreamAtomic(target, Readable.from(failingHalfWay()))).rejects.toThrow('bad input on line 2');
    expect(await readFile(target, 'utf8')).toBe('old contents\n');
    expect(await readdir(dir)).toEqual(['out.jsonl']);
  });

  it('writes whole files and creates missing folders', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rr-atomic-'));
    const target = join(dir, 'nested', 'deeper', 'report.json');
    await writeFileAtomic(target, '{"ok":true}\n');
    expect(await readFile(target, 'utf8')).toBe('{"ok":true}\n');
    expect(await readdir(join(dir, 'nested', 'deeper'))).toEqual(['report.json']);
  });
});
