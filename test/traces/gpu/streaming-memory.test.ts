import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticKinetoTrace, type SyntheticKinetoTraceFacts } from '../../../harness/traces/gpu/synthetic-kineto-trace.js';
import { projectRoot } from '../../../harness/util/shared-data.js';

/**
 * Bounded memory, checked without timing: a child process whose V8 heap is capped at 32 MB reads
 * a generated 160 MB torch.profiler trace (5× the cap). The streaming reader must finish with the
 * right counts; the naive whole-file JSON.parse, under the same cap, must run out of memory
 * (that control shows the cap really bites). Speed and peak RSS are measured in the bench suite.
 */
const HEAP_MB = 32;
const TRACE_BYTES = 160_000_000;
const CHILD = join(import.meta.dirname, 'helpers', 'read-in-child.ts');

function runChild(mode: 'stream' | 'whole', file: string) {
  return spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', CHILD, mode, file], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 1 << 20,
  });
}

describe('reading a trace much larger than the heap', () => {
  let dir: string;
  let file: string;
  let facts: SyntheticKinetoTraceFacts;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gpu-stream-'));
    file = join(dir, 'big.pt.trace.json');
    facts = await writeSyntheticKinetoTrace(file, { targetBytes: TRACE_BYTES, seed: 7 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams it within a heap a fifth of its size, counting every event', () => {
    expect(facts.bytes).toBeGreaterThan(5 * HEAP_MB * 1e6 * 0.95);
    const child = runChild('stream', file);
    expect(child.status, child.stderr).toBe(0);
    const found = JSON.parse(child.stdout.trim()) as { events: number; kernels: number; memoryOps: number; steps: number; heapUsedBytes: number };
    expect(found).toMatchObject({ events: facts.events, kernels: facts.kernels, memoryOps: facts.memcpys, steps: facts.steps });
    expect(found.heapUsedBytes).toBeLessThan(HEAP_MB * 2 ** 20);
  });

  it('the control, a whole-file JSON.parse, cannot read it under the same heap limit', () => {
    const child = runChild('whole', file);
    expect(child.status === 0 && child.signal === null).toBe(false);
    expect(child.stderr).toMatch(/heap out of memory|Allocation failed/);
  });
});
