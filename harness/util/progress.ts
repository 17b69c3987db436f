import type { CliIo } from '../cli/context.js';

/**
 * Progress for long runs: one rewritten line on stderr, and only when stderr is a terminal, so
 * logs, pipes and CI output stay clean and stdout stays machine-readable.
 */
export interface Progress {
  update(done: number, label?: string): void;
  finish(): void;
}

const silent: Progress = { update: () => {}, finish: () => {} };

export function createProgress(io: CliIo, total: number, title: string, now: () => number = Date.now): Progress {
  if (!io.stderrIsTTY || total <= 0) return silent;
  const started = now();
  let lastDrawn = -Infinity;
  let drewAnything = false;
  return {
    update(done, label) {
      const t = now();
      if (t - lastDrawn < 100 && done < total) return;
      lastDrawn = t;
      drewAnything = true;
      const elapsedS = (t - started) / 1000;
      const percent = Math.min(100, Math.round((100 * done) / total));
      io.stderr(`\r\x1b[2K${title} ${done}/${total} (${percent}%) ${elapsedS.toFixed(1)}s${label ? ` ${label}` : ''}`);
    },
    finish() {
      if (drewAnything) io.stderr('\r\x1b[2K');
    },
  };
}
