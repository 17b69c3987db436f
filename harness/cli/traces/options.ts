import type { Argv } from 'yargs';
import { traceFormats } from '../../traces/formats/index.js';
import { positiveIntegerOption } from '../options.js';

/** `--format`, with every registered format name as a choice (so `--help` lists them). */
export function withFormatOption<T>(yargs: Argv<T>): Argv<T & { format: string | undefined }> {
  return yargs.option('format', {
    type: 'string',
    choices: traceFormats.map((format) => format.name),
    describe: 'Read the input as this format instead of detecting it (see traces/README.md)',
  });
}

/** `--max-response`: the response length cap for formats that do not record one. */
export function withMaxResponseOption<T>(yargs: Argv<T>): Argv<T & { 'max-response': number | undefined }> {
  return yargs.option('max-response', {
    type: 'number',
    describe: 'Response length cap, tokens: samples at it count as truncated; overrides a recorded or inferred cap',
  });
}

/** Parses `--max-response`: a positive whole number of tokens. */
export function maxResponseOption(value: unknown): number | undefined {
  return positiveIntegerOption('max-response', value, 'tokens');
}
