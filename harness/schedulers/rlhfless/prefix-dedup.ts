import type { SampleGroup } from '../../traces/types.js';

/**
 * Deduplicated prefill (RLHFless §3.1). A prompt is a path of prefix *nodes*, each covering a
 * token range: Mooncake-style prefix blocks (node = the chain of block ids so far), a template
 * shared by every prompt that declares `sharedPrefixTokens` [X: one common template], and the
 * prompt's own remainder (node = its prompt id, so a prompt recurring in the batch and a GRPO
 * group's n samples share it). Two sequences share the length-d prefix when they reach the same
 * node at depth d.
 *
 * D(L), the number of distinct length-min(L, prompt) prefixes, never falls as L grows (a longer
 * prefix can only split groups further; the paper's "decreases" is a slip), so the largest L with
 * D(L) ≤ B_prefill is found by binary search. Only prefixes that at least two sequences share go
 * to the prefill actor; a prefix nobody shares is prefilled where it is decoded, as without the
 * technique (so one response per prompt and no shared prefixes change nothing).
 */
export interface PrefixForest {
  readonly groups: number;
  /** Segment s of group g, for s in segmentStart[g] .. segmentStart[g+1]−1: node, [from, to) tokens. */
  readonly segmentStart: Int32Array;
  readonly segmentNode: Int32Array;
  readonly segmentFrom: Int32Array;
  readonly segmentTo: Int32Array;
  readonly nodeCount: number;
  /** Per node: the deepest token position that at least two sequences reach (0: not shared). */
  readonly sharedEnd: Int32Array;
  /** True when every prompt is a single private node (no block ids, no template): D(L) is constant. */
  readonly privateOnly: boolean;
  readonly shortestPrompt: number;
  readonly longestPrompt: number;
}

export interface PrefixGroupInput {
  readonly group: SampleGroup;
  /** The prompt's tokens after the scenario's cap. */
  readonly promptTokens: number;
  readonly samples: number;
}

/** Builds the prefix nodes of an iteration's prompts. */
export function buildPrefixForest(inputs: readonly PrefixGroupInput[]): PrefixForest {
  const nodeIds = new Map<string, number>();
  const nodeOf = (key: string) => {
    let id = nodeIds.get(key);
    if (id === undefined) nodeIds.set(key, (id = nodeIds.size));
    return id;
  };
  const segmentStart = new Int32Array(inputs.length + 1);
  const node: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let privateOnly = true;
  let shortest = Infinity;
  let longest = 0;
  inputs.forEach(({ group, promptTokens: length }, g) => {
    segmentStart[g] = node.length;
    if (length <= 0) return;
    shortest = Math.min(shortest, length);
    longest = Math.max(longest, length);
    let covered = 0;
    const blocks = group.prefixBlockIds;
    const blockTokens = group.prefixBlockTokens;
    if (blocks && blocks.length > 0 && blockTokens !== undefined && blockTokens > 0) {
      let chain = 'b';
      for (const block of blocks) {
        if (covered >= length) break;
        chain = `${chain}/${block}`;
        node.push(nodeOf(chain));
        from.push(covered);
        covered = Math.min(length, covered + blockTokens);
        to.push(covered);
      }
    } else if (group.sharedPrefixTokens !== undefined && group.sharedPrefixTokens > 0) {
      node.push(nodeOf('t'));
      from.push(0);
      covered = Math.min(length, Math.round(group.sharedPrefixTokens));
      to.push(covered);
    }
    if (covered > 0) privateOnly = false;
    if (covered < length) {
      node.push(nodeOf(`p/${group.promptId}`));
      from.push(covered);
      to.push(length);
    }
  });
  segmentStart[inputs.length] = node.length;
  const nodeCount = nodeIds.size;
  // The second-deepest reach per node, counting a group's samples as separate sequences.
  const top1 = new Int32Array(nodeCount);
  const top2 = new Int32Array(nodeCount);
  inputs.forEach(({ samples }, g) => {
    for (let s = segmentStart[g]!; s < segmentStart[g + 1]!; s++) {
      const n = node[s]!;
      const reach = to[s]!;
      for (let k = 0; k < Math.min(2, samples); k++) {
        if (reach > top1[n]!) {
          top2[n] = top1[n]!;
          top1[n] = reach;
        } else if (reach > top2[n]!) top2[n] = reach;
      }
    }
  });
  return {
    groups: inputs.length,
    segmentStart,
    segmentNode: Int32Array.from(node),
    segmentFrom: Int32Array.from(from),
    segmentTo: Int32Array.from(to),
    nodeCount,
    sharedEnd: top2,
    privateOnly,
    shortestPrompt: Number.isFinite(shortest) ? shortest : 0,
    longestPrompt: longest,
  };
}

/** D(L): distinct length-min(L, prompt) prefixes over the prompts. */
export function distinctPrefixes(forest: PrefixForest, depth: number): number {
  const keys = new Set<number>();
  const stride = forest.longestPrompt + 1;
  for (let g = 0; g < forest.groups; g++) {
    const first = forest.segmentStart[g]!;
    const end = forest.segmentStart[g + 1]!;
    if (first === end) continue;
    const d = Math.min(depth, forest.segmentTo[end - 1]!);
    let s = first;
    while (forest.segmentTo[s]! < d) s++;
    keys.add(forest.segmentNode[s]! * stride + d);
  }
  return keys.size;
}

export interface PrefixDepthChoice {
  /** Chosen L, tokens (0: no depth fits the capacity, deduplication is skipped this step). */
  readonly depthTokens: number;
  readonly distinctPrefixes: number;
  /** True when no L ≥ the shortest prompt fitted and the search went below it [X]. */
  readonly belowShortestPrompt: boolean;
}

/**
 * The paper's rule: the largest L in [L_min, L_max] with D(L) ≤ capacity, by binary search on the
 * non-decreasing D. When even D(L_min) exceeds it the paper gives no rule [X]: search [1, L_min)
 * the same way, and skip deduplication when D(1) still exceeds it.
 */
export function choosePrefixDepth(forest: PrefixForest, capacity: number): PrefixDepthChoice {
  const none = { depthTokens: 0, distinctPrefixes: 0, belowShortestPrompt: false };
  if (forest.longestPrompt === 0) return none;
  const largestFitting = (low: number, high: number): number => {
    // Largest L in [low, high] with D(L) ≤ capacity, or low − 1 when none.
    let lo = low;
    let hi = high;
    let best = low - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (distinctPrefixes(forest, mid) <= capacity) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  };
  if (forest.privateOnly) {
    // Every prompt is its own node at every depth: D(L) is the same for all L ≥ 1.
    const d = distinctPrefixes(forest, forest.longestPrompt);
    return d <= capacity ? { depthTokens: forest.longestPrompt, distinctPrefixes: d, belowShortestPrompt: false } : none;
  }
  const inRange = largestFitting(forest.shortestPrompt, forest.longestPrompt);
  if (inRange >= forest.shortestPrompt) return { depthTokens: inRange, distinctPrefixes: distinctPrefixes(forest, inRange), belowShortestPrompt: false };
  const below = largestFitting(1, forest.shortestPrompt - 1);
  if (below >= 1) return { depthTokens: below, distinctPrefixes: distinctPrefixes(forest, below), belowShortestPrompt: true };
  return none;
}

/** Per group, the deduplicated prefix length: the deepest prefix within `depth` that ≥ 2 sequences share (0: none). */
export function sharedPrefixTokens(forest: PrefixForest, depth: number): Int32Array {
  const out = new Int32Array(forest.groups);
  if (depth <= 0) return out;
  for (let g = 0; g < forest.groups; g++) {
    let deepest = 0;
    for (let s = forest.segmentStart[g]!; s < forest.segmentStart[g + 1]!; s++) {
      const reach = Math.min(forest.segmentTo[s]!, forest.sharedEnd[forest.segmentNode[s]!]!);
      if (reach <= forest.segmentFrom[s]!) break;
      deepest = reach;
      if (reach < forest.segmentTo[s]!) break;
    }
    out[g] = Math.min(depth, deepest);
  }
  return out;
}

/**
 * Tokens of the union of the given groups' deduplicated prefixes (a radix tree: a node's tokens
 * count once however many prompts use it). Its scratch arrays are reused between calls (planner hot path).
 */
export class PrefixUnion {
  private readonly reach: Int32Array;
  private readonly stamp: Int32Array;
  private epoch = 0;

  constructor(
    private readonly forest: PrefixForest,
    private readonly prefixTokens: Int32Array,
  ) {
    this.reach = new Int32Array(forest.nodeCount);
    this.stamp = new Int32Array(forest.nodeCount);
  }

  /** Tokens of the union over groups `order[from..to)`. */
  tokens(order: ArrayLike<number>, from: number, to: number): number {
    this.epoch++;
    let total = 0;
    const f = this.forest;
    for (let k = from; k < to; k++) {
      const g = order[k]!;
      const depth = this.prefixTokens[g]!;
      if (depth <= 0) continue;
      for (let s = f.segmentStart[g]!; s < f.segmentStart[g + 1]!; s++) {
        const start = f.segmentFrom[s]!;
        if (start >= depth) break;
        const n = f.segmentNode[s]!;
        const end = Math.min(depth, f.segmentTo[s]!);
        if (this.stamp[n] !== this.epoch) {
          this.stamp[n] = this.epoch;
          this.reach[n] = start;
        }
        if (end > this.reach[n]!) {
          total += end - this.reach[n]!;
          this.reach[n] = end;
        }
      }
    }
    return total;
  }
}

export interface PrefillWork {
  /** Tokens first computed for each group, in group order (0: nothing new or nothing shared). */
  readonly newTokens: Int32Array;
  readonly tokens: number;
  /** Distinct prefixes the prefill actor computes (groups that add new tokens). */
  readonly prefixes: number;
}

/** What the prefill actor computes: the union of all deduplicated prefixes, attributed to the first group that needs each token. */
export function prefillWork(forest: PrefixForest, prefixTokens: Int32Array): PrefillWork {
  const reach = new Int32Array(forest.nodeCount).fill(-1);
  const newTokens = new Int32Array(forest.groups);
  let tokens = 0;
  let prefixes = 0;
  for (let g = 0; g < forest.groups; g++) {
    const depth = prefixTokens[g]!;
    if (depth <= 0) continue;
    let fresh = 0;
    for (let s = forest.segmentStart[g]!; s < forest.segmentStart[g + 1]!; s++) {
      const start = forest.segmentFrom[s]!;
      if (start >= depth) break;
      const n = forest.segmentNode[s]!;
      const end = Math.min(depth, forest.segmentTo[s]!);
      const before = Math.max(start, reach[n]!);
      if (end > before) fresh += end - before;
      if (end > reach[n]!) reach[n] = end;
    }
    newTokens[g] = fresh;
    tokens += fresh;
    if (fresh > 0) prefixes++;
  }
  return { newTokens, tokens, prefixes };
}
