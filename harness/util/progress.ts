import type { CliIo } from './cli-io.js';

/**
 * Progress for long runs, always on stderr (stdout stays machine-readable). On a terminal: one
 * rewritten line, redrawn at most every 100 ms. Off a terminal (CI logs, pipes): a plain line at
 * most every 30 s, the first once a run has lasted 30 s, so a long run shows it is alive and a
 * short one prints nothing.
 */
export interface Progress {
  update(done: number, label?: string): void;
  finish(): void;
}

const silent: Progress = { update: () => {}, finish: () => {} };

/** Seconds between plain progress lines off a terminal. */
export const PLAIN_PROGRESS_INTERVAL_S = 30;

function plainLines(io: CliIo, title: string, now: () => number, describe: (done: number, elapsedS: number) => string): Progress {
  const started = now();
  let lastPrinted = started;
  return {
    update(done, label) {
      const t = now();
      if (t - lastPrinted < PLAIN_PROGRESS_INTERVAL_S * 1000) return;
      lastPrinted = t;
      io.stderr(`${title} ${describe(done, (t - started) / 1000)}${label ? ` ${label}` : ''}\n`);
    },
    finish() {},
  };
}

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
  if (total <= 0) return silent;
  const describe = (done: number, elapsedS: number) => `${done}/${total} (${Math.min(100, Math.round((100 * done) / total))}%) ${elapsedS.toFixed(1)}s`;
  if (!io.stderrIsTTY) return plainLines(io, title, now, describe);
  return progressLine(io, title, now, describe, (done) => done < total);
}

/**
 * Progress of a stream whose length is not known in advance (a trace read as it streams): a
 * running count, `title done unit elapsed`.
 */
export function createCountProgress(io: CliIo, title: string, unit: string, now: () => number = Date.now): Progress {
  const describe = (done: number, elapsedS: number) => `${done} ${unit} ${elapsedS.toFixed(1)}s`;
  if (!io.stderrIsTTY) return plainLines(io, title, now, describe);
  return progressLine(io, title, now, describe, () => true);
}
