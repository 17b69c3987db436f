import { splitAsides } from './text-parts.js';

/**
 * The `gpu_type` column, parsed: the GPU model name(s) as the source gives them, with vendor,
 * memory and peak throughput where the text states them. Mapping names to the cost catalog's
 * device ids is the catalog's job; this keeps what the table says.
 */
export interface GpuTypeSpec {
  readonly text: string;
  /** `AMD`, `NVIDIA`, … when written. */
  readonly vendor?: string;
  /** One name, or the candidates when the text gives alternatives (`A100/A800`). */
  readonly models: readonly string[];
  readonly memoryGb?: number;
  /** Peak dense TFLOPS stated in the text (`312 TFLOPS`). */
  readonly peakTflops?: number;
  readonly comments: readonly string[];
  /** Words these rules do not understand; kept, and reported as a finding on the row. */
  readonly unparsed?: string;
}

const VENDORS = new Set(['amd', 'nvidia', 'intel']);

/**
 * Parse rules (traces/README.md, "runs.csv"): an optional vendor word (`AMD`, `NVIDIA`, `Intel`),
 * then model names separated by `/` (alternatives), then optionally the memory (`96GB`, `96 GB`);
 * in an aside, `<n> TFLOPS` is the peak throughput and the rest a comment.
 */
export function parseGpuType(text: string): GpuTypeSpec {
  const { head, asides } = splitAsides(text);
  const words = head.split(/\s+/).filter((w) => w !== '');
  let vendor: string | undefined;
  if (words.length > 1 && VENDORS.has(words[0]!.toLowerCase())) vendor = words.shift();
  let memoryGb: number | undefined;
  const memory = /^(\d+(?:\.\d+)?)\s*GB$/i;
  const last = words.at(-1);
  if (last && memory.test(last) && words.length > 1) memoryGb = Number(memory.exec(words.pop()!)![1]);
  else if (words.length > 2 && words.at(-1)?.toUpperCase() === 'GB' && /^\d+(\.\d+)?$/.test(words.at(-2)!)) {
    words.pop();
    memoryGb = Number(words.pop());
  }
  let peakTflops: number | undefined;
  const comments: string[] = [];
  for (const aside of asides) {
    const peak = /(\d+(?:\.\d+)?)\s*TFLOPS\b/i.exec(aside);
    if (peak && peakTflops === undefined) {
      peakTflops = Number(peak[1]);
      const rest = aside.replace(peak[0], '').trim();
      if (rest !== '') comments.push(rest);
    } else comments.push(aside);
  }
  const models = words.length === 1 ? words[0]!.split('/').filter((m) => m !== '') : [];
  return {
    text,
    ...(vendor ? { vendor } : {}),
    models,
    ...(memoryGb !== undefined ? { memoryGb } : {}),
    ...(peakTflops !== undefined ? { peakTflops } : {}),
    comments,
    ...(models.length === 0 ? { unparsed: head } : {}),
  };
}
