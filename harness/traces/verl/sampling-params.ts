import { isConfigObject, type ConfigValue } from './config-value.js';
import { parsePythonLiteral } from './python-literal.js';
import { splitRayLine } from './ray-lines.js';

/**
 * The sampling parameters veRL's vLLM rollout prints when it starts
 * (`print(f"kwargs: {kwargs}")` in vllm_rollout.py: `{'n': 1, 'logprobs': 1, 'max_tokens': 512, …}`).
 * They show what the engine was really asked for, including the keys an old config did not have
 * (veRL's Dec-2024 config has no `rollout.n`; the rollout then used its own `n=1`).
 */
export interface RolloutSamplingParams {
  readonly line: number;
  readonly values: { readonly [key: string]: ConfigValue };
}

const KWARGS = /^kwargs: (\{.*)$/;

/** The first `kwargs: {…}` line of a log's rollout workers, if any. */
export class SamplingParamsReader {
  private found: RolloutSamplingParams | undefined;

  feed(raw: string, line: number): void {
    if (this.found || !raw.includes('kwargs: {')) return;
    const match = KWARGS.exec(splitRayLine(raw).body.trim());
    if (!match) return;
    const parsed = parsePythonLiteral(match[1]!);
    if (parsed.ok && isConfigObject(parsed.value)) this.found = { line, values: parsed.value };
  }

  result(): RolloutSamplingParams | undefined {
    return this.found;
  }
}
