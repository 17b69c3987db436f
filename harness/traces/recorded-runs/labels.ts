import { splitAsides } from './text-parts.js';

/** `framework_and_version`: `verl (Mar 2025 upstream)` → name `verl`, era in the comments. */
export interface FrameworkLabel {
  readonly text: string;
  /** Lower-case first word: `verl`, `openrlhf`, `deepspeed-chat`, … */
  readonly name: string;
  /** What follows the name outside asides (`~0.4/0.5`), as written. */
  readonly version?: string;
  readonly comments: readonly string[];
}

export function parseFramework(text: string): FrameworkLabel {
  const { head, asides } = splitAsides(text);
  const [name = '', ...rest] = head.split(/\s+/);
  const version = rest.join(' ');
  return { text, name: name.toLowerCase(), ...(version !== '' ? { version } : {}), comments: asides };
}

/**
 * `algorithm`: the first word names it (`ppo`, `grpo`, `gpg`, `dapo`, …); the rest is kept.
 * `usesCritic` is true for PPO and when the text names GAE or a critic (veRL trains a critic
 * exactly when the advantage estimator is GAE: verl/trainer/ppo/ray_trainer.py, `use_critic`),
 * false for the group-relative estimators (GRPO, GPG, DAPO, RLOO, REINFORCE++, ReMax), else
 * undefined. `usesReference` is false only when the text says there is no KL / reference model.
 */
export interface AlgorithmLabel {
  readonly text: string;
  readonly name: string;
  readonly usesCritic?: boolean;
  readonly usesReference?: boolean;
  readonly comments: readonly string[];
}

const CRITIC_FREE = new Set(['grpo', 'gpg', 'dapo', 'rloo', 'reinforce++', 'remax', 'opo']);

export function parseAlgorithm(text: string): AlgorithmLabel {
  const { head, asides } = splitAsides(text);
  const name = (head.split(/\s+/)[0] ?? '').toLowerCase();
  const all = text.toLowerCase();
  const usesCritic = name === 'ppo' || /\bgae\b|\bcritic\b/.test(all) ? true : CRITIC_FREE.has(name) ? false : undefined;
  const usesReference = /\bno (kl\s*\/\s*ref|ref(erence)?|kl)\b/.test(all) ? false : undefined;
  return {
    text,
    name,
    ...(usesCritic !== undefined ? { usesCritic } : {}),
    ...(usesReference !== undefined ? { usesReference } : {}),
    comments: asides,
  };
}

/** `model`: `Qwen/Qwen2.5-0.5B-Instruct (actor+critic)` → name `Qwen/Qwen2.5-0.5B-Instruct`, the aside kept. */
export interface ModelLabel {
  readonly text: string;
  readonly name: string;
  readonly comments: readonly string[];
}

export function parseModel(text: string): ModelLabel {
  const { head, asides } = splitAsides(text);
  return { text, name: head, comments: asides };
}
