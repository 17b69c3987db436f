import type { CliIo } from './cli-io.js';

/**
 * Progress for long runs: one rewritten line on stderr, and only when stderr is a terminal, so
 * logs, pipes and CI output stay clean and stdout stays machine-readable.
 */
export interface Progress {
  update(done: number, label?: string): void;
  finish(): void;
}

const silent: Progress = { update: () => {}, finish: () => {} };

/** Redraws at most every 100 ms, except the final update (`unfinished` false); `describe` gives the line after the title. */
function progressLine(io: CliIo, title: string, now: () => number, describe: (done: number, elapsedS: number) => string, unfinished: (done: number) => boolean): Progress {
  const started = now();
  let lastDrawn = -Infinity;
  let drewAnything = false;
  return {
    update(done, label) {
      const t = now();
      if (t - lastDrawn < 100 && unfinished(done)) return;
      lastDrawn = t;
      drewAnything = true;
      io.stderr(`\r\x1b[2K${title} ${describe(done, (t - started) / 1000)}${label ? ` ${label}` : ''}`);
    },
    finish() {
      if (drewAnything) io.stderr('\r\x1b[2K');
    },
  };
}

/** Progress towards a known total: `title done/total (percent%) elapsed`. */
export function createProgress(io: CliIo, total: number, title: string, now: () => number = Date.now): Progress {
  if (!io.stderrIsTTY || total <= 0) return silent;
  return progressLine(
    io,
    title,
    now,
    (done, elapsedS) => `${done}/${total} (${Math.min(100, Math.round((100 * done) / total))}%) ${elapsedS.toFixed(1)}s`,
    (done) => done < total,
  );
}

/**
 * Progress of a stream whose length is not known in advance (a trace read as it streams): a
 * running count, `title done unit elapsed`.
 */
export function createCountProgress(io: CliIo, title: string, unit: string, now: () => number = Date.now): Progress {
  if (!io.stderrIsTTY) return silent;
  return progressLine(io, title, now, (done, elapsedS) => `${done} ${unit} ${elapsedS.toFixed(1)}s`, () => true);
}
