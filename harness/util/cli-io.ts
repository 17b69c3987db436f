/**
 * Everything a command may touch outside its arguments. Commands never write to `process`
 * directly, so tests run the CLI in-process and read what it printed.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress goes to stderr, and only when stderr is a terminal. */
  readonly stderrIsTTY: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** An in-memory CliIo for tests. */
export interface MemoryIo extends CliIo {
  readonly out: string;
  readonly err: string;
}

export function memoryIo(options: { cwd?: string; env?: Record<string, string | undefined>; tty?: boolean } = {}): MemoryIo {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    stderrIsTTY: options.tty ?? false,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}
