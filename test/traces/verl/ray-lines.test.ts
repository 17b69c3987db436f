import { describe, expect, it } from 'vitest';
import { splitRayLine } from '../../../harness/traces/verl/ray-lines.js';

describe('splitRayLine', () => {
  it('splits the Ray prefix of every kind seen in the logs, after removing colours', () => {
    expect(splitRayLine('\x1b[2m\x1b[36m(main_task pid=64899)\x1b[0m {x')).toEqual({ prefix: '(main_task pid=64899)', body: '{x', offset: 35 });
    expect(splitRayLine('(VGNd5CWorkerDict_0:0 WorkerDict pid=65860) text').prefix).toBe('(VGNd5CWorkerDict_0:0 WorkerDict pid=65860)');
    expect(splitRayLine('(pid=1, ip=10.0.0.2) text')).toEqual({ prefix: '(pid=1, ip=10.0.0.2)', body: 'text', offset: 21 });
  });

  it('leaves a driver line alone', () => {
    expect(splitRayLine('step:1 - a:1')).toEqual({ prefix: '', body: 'step:1 - a:1', offset: 0 });
    expect(splitRayLine('(not a prefix) x').prefix).toBe('');
  });
});
