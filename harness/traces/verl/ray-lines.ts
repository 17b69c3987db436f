/**
 * A console line of a Ray job, split into the prefix Ray puts before a worker's output —
 * `(main_task pid=54569) `, `(TaskRunner pid=678203) `, `(VGNd5CWorkerDict_0:0 WorkerDict pid=65860) `,
 * `(pid=926049, ip=10.0.0.1) ` — and the worker's own text. ANSI colour codes are removed first.
 * Lines the driver printed itself have no prefix (`prefix` = '').
 */
export interface RayLine {
  readonly prefix: string;
  readonly body: string;
  /** Characters removed from the raw line before `body` starts (ANSI codes and the prefix), for columns. */
  readonly offset: number;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const RAY_PREFIX = /^\(([^()]*\bpid=\d+[^()]*)\) ?/;

export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}

export function splitRayLine(raw: string): RayLine {
  const text = stripAnsi(raw);
  const removed = raw.length - text.length;
  const match = RAY_PREFIX.exec(text);
  if (!match) return { prefix: '', body: text, offset: removed };
  return { prefix: `(${match[1]})`, body: text.slice(match[0].length), offset: removed + match[0].length };
}
