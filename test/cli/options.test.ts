import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../harness/util/cli-io.js';
import { main } from '../../harness/cli/main.js';
import {
  inputPath,
  jobsOption,
  knownSchedulerNames,
  lastString,
  optionError,
  positiveIntegerOption,
  restoreTypedNumbers,
  schedulerListOption,
  schedulerOption,
  seedOption,
  shardOption,
  shardOptions,
  shownPath,
  typedFlagValues,
} from '../../harness/cli/options.js';
import { schedulers } from '../../harness/schedulers/index.js';
import { EXIT_BAD_INPUT } from '../../harness/util/exit-codes.js';
import { InputError } from '../../harness/util/input-error.js';

/** The InputError `run` throws, checked to name the flag and value as the CLI prints them. */
function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

const ALL_NAMES = 'deepspeed-chat, realhf, verl, openrlhf';

describe('optionError', () => {
  it('names the flag as the file and the field, with the value', () => {
    const error = optionError('bin-ms', 0, 'must be a number > 0');
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe("--bin-ms: field 'bin-ms' value '0': must be a number > 0");
    expect(error.problems).toEqual([{ file: '--bin-ms', field: 'bin-ms', value: 0, message: 'must be a number > 0' }]);
  });
});

describe('inputPath and shownPath', () => {
  it('keeps absolute paths and takes relative ones from io.cwd, relative to the process', () => {
    const io = memoryIo({ cwd: '/somewhere/else' });
    expect(inputPath(io, '/abs/trace.jsonl')).toBe('/abs/trace.jsonl');
    expect(inputPath(io, 'run/trace.jsonl')).toBe(relative(process.cwd(), '/somewhere/else/run/trace.jsonl'));
    expect(resolve(inputPath(io, 'run/trace.jsonl'))).toBe('/somewhere/else/run/trace.jsonl');
    // In normal use (io.cwd is the process's folder) a typed path comes back exactly as typed.
    expect(inputPath(memoryIo({ cwd: process.cwd() }), 'traces/x.jsonl')).toBe('traces/x.jsonl');
    expect(inputPath(memoryIo({ cwd: process.cwd() }), '.')).toBe('.');
  });

  it('shows a path below io.cwd relative to it, any other as given', () => {
    const io = memoryIo({ cwd: '/work/run' });
    expect(shownPath(io, '/work/run/shards/a.json')).toBe(join('shards', 'a.json'));
    expect(shownPath(io, '/elsewhere/a.json')).toBe('/elsewhere/a.json');
    expect(shownPath(io, 'reports/x.json')).toBe('reports/x.json');
  });
});

describe('lastString', () => {
  it('takes the last of a repeated flag, as a string', () => {
    expect(lastString(['a', 'b'])).toBe('b');
    expect(lastString(3)).toBe('3');
    expect(lastString(undefined)).toBeUndefined();
    expect(lastString([])).toBeUndefined();
  });
});

describe('positiveIntegerOption', () => {
  it('passes a positive whole number and an absent flag through', () => {
    expect(positiveIntegerOption('iterations', 7, 'iterations')).toBe(7);
    expect(positiveIntegerOption('iterations', undefined, 'iterations')).toBeUndefined();
  });

  it.each([0, -2, 1.5, Number.NaN, '3'])('rejects %s, naming the flag, the value and the unit', (value) => {
    const error = inputErrorOf(() => positiveIntegerOption('iterations', value, 'steps'));
    expect(error.problems[0]).toMatchObject({ file: '--iterations', field: 'iterations', value, message: 'must be a positive whole number of steps' });
  });

  it('leaves the unit out when none is named', () => {
    expect(inputErrorOf(() => positiveIntegerOption('folds', 0, '')).message).toBe("--folds: field 'folds' value '0': must be a positive whole number");
  });
});

describe('seedOption', () => {
  it('takes every 32-bit seed', () => {
    expect(seedOption(0)).toBe(0);
    expect(seedOption(4294967295)).toBe(4294967295);
  });

  it.each([
    [-1, "--seed: field 'seed' value '-1': must be a whole number from 0 to 4294967295"],
    [4294967296, "--seed: field 'seed' value '4294967296': must be a whole number from 0 to 4294967295"],
    [1.5, "--seed: field 'seed' value '1.5': must be a whole number from 0 to 4294967295"],
    [Number.NaN, "--seed: field 'seed' value 'NaN': must be a whole number from 0 to 4294967295"],
    ['7', "--seed: field 'seed' value '7': must be a whole number from 0 to 4294967295"],
    [undefined, "--seed: field 'seed' value 'undefined': must be a whole number from 0 to 4294967295"],
  ])('rejects %s', (value, message) => {
    expect(inputErrorOf(() => seedOption(value)).message).toBe(message);
  });
});

describe('schedulerOption and schedulerListOption', () => {
  it('lists every registered scheduler, in registry order', () => {
    expect(knownSchedulerNames().startsWith(`${ALL_NAMES}, `)).toBe(true);
    expect(knownSchedulerNames().split(', ')).toEqual(schedulers.map((s) => s.name));
  });

  it('finds a scheduler by name, or names the flag, the value and the known names', () => {
    expect(schedulerOption('baseline', 'verl').name).toBe('verl');
    const error = inputErrorOf(() => schedulerOption('baseline', 'hybridflow'));
    expect(error.message).toBe(`--baseline: field 'baseline' value 'hybridflow': unknown scheduler; known: ${schedulers.map((s) => s.name).join(', ')}`);
  });

  it('splits commas across repeated flags, trims, drops empties and repeats, keeps order', () => {
    expect(schedulerListOption(['rlhfuse-base, verl', 'verl,,deepspeed-chat', ' ']).map((s) => s.name)).toEqual(['rlhfuse-base', 'verl', 'deepspeed-chat']);
    expect(schedulerListOption('openrlhf').map((s) => s.name)).toEqual(['openrlhf']);
  });

  it('gives every scheduler when none is named', () => {
    expect(schedulerListOption(undefined)).toEqual([...schedulers]);
    expect(schedulerListOption([' , '])).toEqual([...schedulers]);
    expect(schedulerListOption(undefined)).not.toBe(schedulers);
  });

  it('rejects an unknown name under --scheduler', () => {
    const error = inputErrorOf(() => schedulerListOption('verl,nope'));
    expect(error.problems[0]).toMatchObject({ file: '--scheduler', field: 'scheduler', value: 'nope' });
    expect(error.message.startsWith(`--scheduler: field 'scheduler' value 'nope': unknown scheduler; known: ${ALL_NAMES}`)).toBe(true);
  });
});

describe('shard options', () => {
  it('declares --shard (string) and --shards (number) in that order', () => {
    expect(Object.keys(shardOptions)).toEqual(['shard', 'shards']);
    expect(shardOptions.shard.type).toBe('string');
    expect(shardOptions.shards.type).toBe('number');
    expect(shardOptions.shard.describe).toContain('$JOB_COMPLETION_INDEX with --shards or $RLHF_REPLAY_SHARDS');
  });

  it('takes --shard i/n, else the Indexed-Job index with --shards, else the whole plan', () => {
    const io = memoryIo();
    expect(shardOption(io, '1/4', undefined)).toEqual({ index: 1, count: 4 });
    expect(shardOption(memoryIo({ env: { JOB_COMPLETION_INDEX: '2' } }), undefined, 3)).toEqual({ index: 2, count: 3 });
    expect(shardOption(memoryIo({ env: { JOB_COMPLETION_INDEX: '1', RLHF_REPLAY_SHARDS: '2' } }), undefined, undefined)).toEqual({ index: 1, count: 2 });
    expect(shardOption(io, undefined, undefined)).toEqual({ index: 0, count: 1 });
  });

  it('names the flag and value of a bad shard', () => {
    const io = memoryIo();
    expect(inputErrorOf(() => shardOption(io, '3/2', undefined)).message).toBe(
      "--shard: field 'shard' value '3/2': shard index must satisfy 0 <= i < n (got i = 3, n = 2); shards are numbered from 0",
    );
    expect(inputErrorOf(() => shardOption(io, 'x', undefined)).message).toBe("--shard: field 'shard' value 'x': must look like 'i/n' (e.g. 0/4: the first of 4 shards)");
    // A repeated flag reaches it as an array (sweep passes it on as given) and is not 'i/n'.
    expect(inputErrorOf(() => shardOption(io, ['0/2', '1/2'], undefined)).message).toBe(`--shard: field 'shard' value '["0/2","1/2"]': must look like 'i/n' (e.g. 0/4: the first of 4 shards)`);
    expect(inputErrorOf(() => shardOption(io, '0/2', 3)).message).toBe("--shards: field 'shards' value '3': disagrees with --shard 0/2 (n = 2)");
    expect(inputErrorOf(() => shardOption(io, undefined, 2)).message).toBe("--shards: field 'shards' value '2': names 2 shards but not which one this is: pass --shard i/2 or set JOB_COMPLETION_INDEX");
  });
});

describe('jobsOption', () => {
  it('takes a positive whole number, else the fallback when absent', () => {
    expect(jobsOption(3, 1)).toBe(3);
    expect(jobsOption(undefined, 5)).toBe(5);
  });

  it.each([0, -1, 2.5])('rejects %s, naming the flag and the value', (value) => {
    expect(inputErrorOf(() => jobsOption(value, 1)).message).toBe(`--jobs: field 'jobs' value '${value}': must be a positive whole number of worker threads`);
  });
});

describe('typedFlagValues and restoreTypedNumbers', () => {
  it('reads --flag v and --flag=v, in order, up to --', () => {
    expect(typedFlagValues(['run', '--a', '1', '--b=x=y', '--flag', '--a', 'two', 'positional', '--', '--c', '3'])).toEqual(
      new Map([
        ['a', ['1', 'two']],
        ['b', ['x=y']],
      ]),
    );
  });

  it('puts back the text of number flags yargs made NaN or Infinity, under both of its names', () => {
    const argv: Record<string, unknown> = { iterations: Number.NaN, 'max-evaluations': Infinity, maxEvaluations: Infinity, seed: -3, list: [1, Number.NaN], kept: 5 };
    restoreTypedNumbers(argv, ['--iterations', 'abc', '--max-evaluations=1e999', '--seed', '-3', '--list', '1', '--list', 'x', '--kept', '5']);
    expect(argv).toEqual({ iterations: 'abc', 'max-evaluations': '1e999', maxEvaluations: '1e999', seed: -3, list: [1, 'x'], kept: 5 });
  });
});

describe('through the CLI: a bad flag value prints one line and exits 2', () => {
  const run = async (argv: string[]) => {
    const io = memoryIo({ cwd: join(import.meta.dirname, '..', '..') });
    const code = await main(argv, io);
    return { code, out: io.out, err: io.err };
  };
  const REPLAY = ['replay', '--trace', 'traces/examples/default.jsonl', '--scenario', 'harness/scenario/scenarios/rlhfuse-65b-33b.json'];

  it.each([
    [[...REPLAY, '--seed', '-1'], "--seed: field 'seed' value '-1': must be a whole number from 0 to 4294967295\n"],
    [[...REPLAY, '--iterations', '0'], "--iterations: field 'iterations' value '0': must be a positive whole number of iterations\n"],
    [['nightly', '--jobs', '1.5'], "--jobs: field 'jobs' value '1.5': must be a positive whole number of worker threads\n"],
    [['nightly', '--shard', '0/2', '--shard', '5/2'], "--shard: field 'shard' value '5/2': shard index must satisfy 0 <= i < n (got i = 5, n = 2); shards are numbered from 0\n"],
    [['reproduce', '--shard', '2/2'], "--shard: field 'shard' value '2/2': shard index must satisfy 0 <= i < n (got i = 2, n = 2); shards are numbered from 0\n"],
    // Number flags yargs cannot parse are shown as typed, not as NaN or Infinity.
    [[...REPLAY, '--iterations', 'abc'], "--iterations: field 'iterations' value 'abc': must be a positive whole number of iterations\n"],
    [[...REPLAY, '--seed=1e999'], "--seed: field 'seed' value '1e999': must be a whole number from 0 to 4294967295\n"],
    [['nightly', '--jobs=many'], "--jobs: field 'jobs' value 'many': must be a positive whole number of worker threads\n"],
  ])('%j', async (argv, err) => {
    const result = await run(argv);
    expect(result).toEqual({ code: EXIT_BAD_INPUT, out: '', err });
  });

  it('an unknown --scheduler lists the known ones', async () => {
    const result = await run([...REPLAY, '--scheduler', 'verl,bogus']);
    expect(result.code).toBe(EXIT_BAD_INPUT);
    expect(result.err).toBe(`--scheduler: field 'scheduler' value 'bogus': unknown scheduler; known: ${schedulers.map((s) => s.name).join(', ')}\n`);
  });
});
