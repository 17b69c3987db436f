import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRng } from '../../util/rng.js';

/**
 * Deterministic inputs for ingestion benchmarks and scale tests: a canonical response-length trace
 * of `rows` samples (GRPO groups of 8, 512 groups per iteration, lognormal-ish lengths under a
 * 16384-token cap). The shape only has to be realistic enough for parsing cost; these files are
 * never used as workloads.
 */
export const INPUT_SAMPLES_PER_GROUP = 8;
export const INPUT_GROUPS_PER_ITERATION = 512;
export const INPUT_CAP_TOKENS = 16384;

function* sampleRows(rows: number, seed: number): Generator<{ iteration: number; group: number; prompt: number; response: number; truncated: boolean; sample: number }> {
  const rng = createRng(seed);
  let prompt = 0;
  for (let row = 0; row < rows; row++) {
    const sample = row % INPUT_SAMPLES_PER_GROUP;
    const groupIndex = Math.floor(row / INPUT_SAMPLES_PER_GROUP);
    if (sample === 0) prompt = 64 + Math.floor(Math.exp(5 + 0.6 * rng.normal()));
    const response = Math.min(INPUT_CAP_TOKENS, Math.max(1, Math.round(Math.exp(6.5 + 1.1 * rng.normal()))));
    yield {
      iteration: Math.floor(groupIndex / INPUT_GROUPS_PER_ITERATION),
      group: groupIndex % INPUT_GROUPS_PER_ITERATION,
      prompt,
      response,
      truncated: response === INPUT_CAP_TOKENS,
      sample,
    };
  }
}

async function writeChunks(path: string, chunks: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const chunk of chunks) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

const META = `{"$meta":{"format":"rlhf-replay.lengths","version":1,"synthetic":true,"description":"benchmark input","max_response_tokens":${INPUT_CAP_TOKENS},"max_response_tokens_source":"given","notes":[]}}`;

/** Writes `rows` sample rows as canonical CSV (one row per sample). */
export async function writeBenchLengthsCsv(path: string, rows: number, seed = 1): Promise<void> {
  function* chunks(): Generator<string> {
    yield `# ${META}\niteration,group_id,prompt_tokens,sample_index,response_tokens,truncated\n`;
    let buffer = '';
    for (const r of sampleRows(rows, seed)) {
      buffer += `${r.iteration},g${r.group},${r.prompt},${r.sample},${r.response},${r.truncated}\n`;
      if (buffer.length > 1 << 16) {
        yield buffer;
        buffer = '';
      }
    }
    yield buffer;
  }
  await writeChunks(path, chunks());
}

/** Writes the same samples as canonical JSONL (one group of 8 per line). */
export async function writeBenchLengthsJsonl(path: string, rows: number, seed = 1): Promise<void> {
  function* chunks(): Generator<string> {
    yield `${META}\n`;
    let buffer = '';
    let group: { iteration: number; id: number; prompt: number; responses: number[]; truncated: boolean[] } | undefined;
    const flush = (): string =>
      group
        ? `${JSON.stringify({ iteration: group.iteration, group_id: `g${group.id}`, prompt_tokens: group.prompt, response_tokens: group.responses, truncated: group.truncated })}\n`
        : '';
    for (const r of sampleRows(rows, seed)) {
      if (r.sample === 0) {
        buffer += flush();
        group = { iteration: r.iteration, id: r.group, prompt: r.prompt, responses: [], truncated: [] };
      }
      group!.responses.push(r.response);
      group!.truncated.push(r.truncated);
      if (buffer.length > 1 << 16) {
        yield buffer;
        buffer = '';
      }
    }
    yield buffer + flush();
  }
  await writeChunks(path, chunks());
}
