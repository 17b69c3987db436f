import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../harness/util/cli-io.js';
import { createCountProgress, createProgress } from '../../harness/util/progress.js';

/** A clock the test moves by hand. */
function manualClock(startMs = 1000) {
  let t = startMs;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const CLEAR = '\r\x1b[2K';

describe('createProgress', () => {
  it('prints nothing off a terminal when the run is short', () => {
    const io = memoryIo({ tty: false });
    const clock = manualClock();
    const progress = createProgress(io, 10, 'replay', clock.now);
    progress.update(1, 'a');
    clock.advance(29_999);
    progress.update(10);
    progress.finish();
    expect(io.err).toBe('');
    expect(io.out).toBe('');
  });

  it('off a terminal, prints a plain line at most every 30 s of a long run, never on stdout', () => {
    const io = memoryIo({ tty: false });
    const clock = manualClock();
    const progress = createProgress(io, 100, 'replay', clock.now);
    clock.advance(30_000);
    progress.update(10, 'it 1'); // 30 s in: the first line
    clock.advance(29_000);
    progress.update(20); // 29 s after it: skipped
    clock.advance(1_000);
    progress.update(30, 'it 3'); // 30 s after it
    clock.advance(5_000);
    progress.update(100);
    progress.finish();
    expect(io.err).toBe('replay 10/100 (10%) 30.0s it 1\nreplay 30/100 (30%) 60.0s it 3\n');
    expect(io.out).toBe('');
  });

  it('prints nothing for an empty total', () => {
    const io = memoryIo({ tty: true });
    const progress = createProgress(io, 0, 'replay');
    progress.update(0);
    progress.finish();
    expect(io.err).toBe('');
  });

  it('rewrites one line at most every 100 ms, always draws the last step, and clears it at the end', () => {
    const io = memoryIo({ tty: true });
    const clock = manualClock();
    const progress = createProgress(io, 4, 'replay', clock.now);
    clock.advance(50);
    progress.update(1, 'it 1');
    clock.advance(99);
    progress.update(2, 'it 2'); // within 100 ms of the last draw: skipped
    clock.advance(1);
    progress.update(3);
    clock.advance(10);
    progress.update(4, 'done'); // the last step is drawn however soon
    progress.finish();
    expect(io.err).toBe(`${CLEAR}replay 1/4 (25%) 0.1s it 1${CLEAR}replay 3/4 (75%) 0.1s${CLEAR}replay 4/4 (100%) 0.2s done${CLEAR}`);
    expect(io.out).toBe('');
  });

  it('leaves the line alone on finish when it never drew', () => {
    const io = memoryIo({ tty: true });
    createProgress(io, 3, 'x').finish();
    expect(io.err).toBe('');
  });
});

describe('createCountProgress', () => {
  it('prints nothing when stderr is not a terminal', () => {
    const io = memoryIo({ tty: false });
    const progress = createCountProgress(io, 'reading', 'samples');
    progress.update(5, 'x');
    progress.finish();
    expect(io.err).toBe('');
  });

  it('shows a running count with its unit, throttled to 100 ms, and clears it at the end', () => {
    const io = memoryIo({ tty: true });
    const clock = manualClock();
    const progress = createCountProgress(io, 'reading', 'samples', clock.now);
    progress.update(8, '(group 1)');
    clock.advance(60);
    progress.update(16); // skipped: no known end, so every update is throttled
    clock.advance(1940);
    progress.update(1024, '(group 128)');
    progress.finish();
    expect(io.err).toBe(`${CLEAR}reading 8 samples 0.0s (group 1)${CLEAR}reading 1024 samples 2.0s (group 128)${CLEAR}`);
  });
});
