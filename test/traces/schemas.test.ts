import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { GPU_PROFILE_COLUMNS, TIME_COLUMNS, TIME_STD_COLUMNS } from '../../harness/traces/canonical/gpu-profile-csv.js';
import { LENGTHS_CSV_COLUMNS, LENGTHS_CSV_REQUIRED } from '../../harness/traces/canonical/lengths-csv.js';
import { LENGTHS_JSONL_KEYS } from '../../harness/traces/canonical/lengths-jsonl.js';
import { STAGE_TIMINGS_CSV_COLUMNS } from '../../harness/traces/canonical/stage-timings.js';
import { RECORDED_RUNS_COLUMNS, RECORDED_RUNS_REQUIRED } from '../../harness/traces/recorded-runs/columns.js';
import { projectRoot } from '../../harness/util/shared-data.js';
import { writeWorkload } from '../../harness/traces/write.js';
import { runCli, scratchDir } from '../cli/run-cli.js';
import { workloadArbitrary } from './workload-arbitrary.js';
import { sharedDataPath } from '../../harness/util/shared-data.js';
import { fileURLToPath } from 'node:url';

type Schema = Record<string, unknown>;
const schema = (name: string): Schema => JSON.parse(readFileSync(join(projectRoot, 'traces', 'schemas', name), 'utf8')) as Schema;

/** The subset of JSON Schema the project's schema files use, checked the plain way. Returns the problems. */
function check(value: unknown, s: Schema, path = '$'): string[] {
  const out: string[] = [];
  if ('const' in s && value !== s.const) out.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.includes(value)) out.push(`${path}: not one of ${JSON.stringify(s.enum)}`);
  if (Array.isArray(s.oneOf)) {
    const passing = (s.oneOf as Schema[]).filter((option) => check(value, option, path).length === 0).length;
    if (passing !== 1) out.push(`${path}: matches ${passing} of oneOf`);
  }
  const type = s.type as string | undefined;
  const typeOk =
    type === undefined ||
    (type === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value)) ||
    (type === 'array' && Array.isArray(value)) ||
    (type === 'string' && typeof value === 'string') ||
    (type === 'boolean' && typeof value === 'boolean') ||
    (type === 'number' && typeof value === 'number' && Number.isFinite(value)) ||
    (type === 'integer' && Number.isInteger(value));
  if (!typeOk) return [...out, `${path}: not ${type}`];
  if (typeof value === 'number' && typeof s.minimum === 'number' && value < s.minimum) out.push(`${path}: below ${s.minimum}`);
  if (typeof value === 'string' && typeof s.minLength === 'number' && value.length < s.minLength) out.push(`${path}: shorter than ${s.minLength}`);
  if (typeof value === 'string' && typeof s.pattern === 'string' && !new RegExp(s.pattern).test(value)) out.push(`${path}: does not match ${s.pattern}`);
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) out.push(`${path}: fewer than ${s.minItems} items`);
    if (s.items) value.forEach((item, i) => out.push(...check(item, s.items as Schema, `${path}[${i}]`)));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of (s.required as string[] | undefined) ?? []) if (!(key in record)) out.push(`${path}.${key}: required`);
    const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [key, item] of Object.entries(record)) {
      if (key in properties) out.push(...check(item, properties[key]!, `${path}.${key}`));
      else if (s.additionalProperties === false) out.push(`${path}.${key}: not allowed`);
      else if (typeof s.additionalProperties === 'object') out.push(...check(item, s.additionalProperties as Schema, `${path}.${key}`));
    }
  }
  return out;
}

/** Types CSV cells the way the row schemas describe them; empty cells are absent. */
function typedRow(header: string[], cells: string[], rowSchema: Schema): Record<string, unknown> {
  const properties = rowSchema.properties as Record<string, Schema>;
  const row: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const text = cells[i]!;
    if (text === '') return;
    const type = properties[name]?.type;
    row[name] = type === 'integer' || type === 'number' ? Number(text) : type === 'boolean' ? text === 'true' : text;
  });
  return row;
}

function csvRows(path: string): { header: string[]; rows: string[][] } {
  const records = parse(readFileSync(path, 'utf8'), { comment: '#', comment_no_infix: true, skip_empty_lines: true }) as string[][];
  return { header: records[0]!, rows: records.slice(1) };
}

describe('JSON Schemas in traces/schemas', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scratchDir('rlhf-replay-schemas');
  });

  it('name exactly the keys and columns the readers accept', () => {
    expect(Object.keys((schema('lengths-group.schema.json').properties as object))).toEqual([...LENGTHS_JSONL_KEYS]);
    const csvRow = schema('lengths-csv-row.schema.json');
    expect(Object.keys(csvRow.properties as object)).toEqual([...LENGTHS_CSV_COLUMNS]);
    expect(csvRow.required).toEqual([...LENGTHS_CSV_REQUIRED]);
    expect(Object.keys(schema('gpu-profile-csv-row.schema.json').properties as object).sort()).toEqual(
      [...new Set([...GPU_PROFILE_COLUMNS, ...Object.keys(TIME_COLUMNS), ...Object.keys(TIME_STD_COLUMNS)])].sort(),
    );
    expect(Object.keys(schema('stage-timings-csv-row.schema.json').properties as object)).toEqual([...STAGE_TIMINGS_CSV_COLUMNS]);
    const runsRow = schema('recorded-runs-csv-row.schema.json');
    expect(Object.keys(runsRow.properties as object)).toEqual([...RECORDED_RUNS_COLUMNS]);
    expect(runsRow.required).toEqual([...RECORDED_RUNS_REQUIRED]);
  });

  it('the recorded-runs row schema accepts every row of the shared runs.csv and rejects the cells the reader rejects', () => {
    const rowSchema = schema('recorded-runs-csv-row.schema.json');
    const { header, rows } = csvRows(sharedDataPath('rl-step-logs', 'runs.csv'));
    expect(rows).toHaveLength(25);
    for (const row of rows) expect(check(typedRow(header, row, rowSchema), rowSchema)).toEqual([]);
    const [badHeader, ...badRows] = parse(readFileSync(fileURLToPath(new URL('./recorded-runs/fixtures/bad-rows.csv', import.meta.url)), 'utf8'), { relax_column_count: true }) as string[][];
    // Lines 3–14 of the fixture each hold one bad cell (line 2 has too few cells; line 9 repeats a run_id, which one row alone cannot show).
    const failures = badRows.slice(1, 13).map((row) => check(typedRow(badHeader!, row, rowSchema), rowSchema));
    expect(failures).toEqual([
      ['$.timing_gen_s: does not match ' + (rowSchema.properties as Record<string, Schema>).timing_gen_s!.pattern],
      ['$.timing_update_actor_s: does not match ' + (rowSchema.properties as Record<string, Schema>).timing_update_actor_s!.pattern],
      ['$.step_index: does not match ^([0-9]+|avg([1-9][0-9]*)?)$'],
      ['$.rollout_n: does not match ^~?[1-9][0-9]*$'],
      ['$.mfu_actor: does not match ' + (rowSchema.properties as Record<string, Schema>).mfu_actor!.pattern],
      ['$.train_backend: does not match ^~?(fsdp|fsdp2|megatron|deepspeed)$'],
      [],
      ['$.nodes: does not match ^~?[1-9][0-9]*$'],
      ['$.step_index: does not match ^([0-9]+|avg([1-9][0-9]*)?)$'],
      ['$.date: does not match ^~?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$'],
      ['$.moe: does not match ' + (rowSchema.properties as Record<string, Schema>).moe!.pattern],
      ['$.step_index: required'],
    ]);
  });

  it('the checker can fail', () => {
    expect(check({ iteration: -1, group_id: '', prompt_tokens: 1.5, response_tokens: [], truncated: [1], colour: 'red' }, schema('lengths-group.schema.json'))).toEqual([
      '$.iteration: below 0',
      '$.group_id: shorter than 1',
      '$.prompt_tokens: not integer',
      '$.response_tokens: fewer than 1 items',
      '$.truncated[0]: not boolean',
      '$.colour: not allowed',
    ]);
  });

  it('every line the writer produces satisfies the lengths schemas (JSONL and CSV)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(workloadArbitrary({ withTurns: true }), async (workload) => {
        const path = join(dir, `w${n++}.jsonl`);
        await writeWorkload(path, workload);
        const [metaLine, ...groupLines] = readFileSync(path, 'utf8').trim().split('\n');
        expect(check(JSON.parse(metaLine!), schema('lengths-meta.schema.json'))).toEqual([]);
        for (const line of groupLines) expect(check(JSON.parse(line), schema('lengths-group.schema.json'))).toEqual([]);
        const csvPath = join(dir, `w${n++}.csv`);
        await writeWorkload(csvPath, workload, { allowLossy: true });
        const metaComment = readFileSync(csvPath, 'utf8').split('\n')[0]!;
        expect(check(JSON.parse(metaComment.slice(2)), schema('lengths-meta.schema.json'))).toEqual([]);
        const { header, rows } = csvRows(csvPath);
        const rowSchema = schema('lengths-csv-row.schema.json');
        for (const row of rows) expect(check(typedRow(header, row, rowSchema), rowSchema)).toEqual([]);
      }),
      { seed: 4, numRuns: 25 },
    );
  });

  it('a converted GPU profile and veRL stage timings satisfy their schemas', async () => {
    const gpu = join(dir, 'mlp.csv');
    expect((await runCli(['traces', 'convert', sharedDataPath('vidur', 'data', 'profiling', 'compute', 'a100', 'meta-llama', 'Llama-2-7b-hf', 'mlp.csv'), '--to', gpu])).code).toBe(0);
    const gpuSchema = schema('gpu-profile-csv-row.schema.json');
    const { header, rows } = csvRows(gpu);
    for (const row of rows.slice(0, 500)) expect(check(typedRow(header, row, gpuSchema), gpuSchema)).toEqual([]);
    const stages = join(dir, 'stages.jsonl');
    expect((await runCli(['traces', 'convert', fileURLToPath(new URL('./fixtures/verl-console.log', import.meta.url)), '--to', stages])).code).toBe(0);
    for (const line of readFileSync(stages, 'utf8').trim().split('\n')) expect(check(JSON.parse(line), schema('stage-timings.schema.json'))).toEqual([]);
  });
});
