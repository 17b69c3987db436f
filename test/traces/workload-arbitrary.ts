import fc from 'fast-check';
import { PLAUSIBLE } from '../../harness/traces/plausible-bounds.js';
import type { SampleGroup, SampleTurn, Workload, WorkloadIteration, WorkloadMeta } from '../../harness/traces/types.js';

/** Identifiers with the characters CSV and JSON must escape: commas, quotes, newlines, a leading '#', spaces, non-ASCII. */
const idText = fc
  .string({ unit: fc.constantFrom(...'ab7,"\n #é中_'.split('')), minLength: 1, maxLength: 6 })
  .filter((text) => text.trim() !== '');
const seconds = fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0);
/** Reward and tool latencies: up to their plausibility bound (a day), which valid traces keep to. */
const latencySeconds = fc.double({ min: 0, max: PLAUSIBLE.latencyS.max, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0);
const tokens = fc.nat({ max: 40_000 });

const turn: fc.Arbitrary<SampleTurn> = fc
  .record({ promptTokens: tokens, completionTokens: tokens, toolLatencyS: latencySeconds, cachedFraction: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ promptTokens, completionTokens, toolLatencyS, cachedFraction }) => ({ promptTokens, cachedTokens: Math.floor(promptTokens * cachedFraction), completionTokens, toolLatencyS }));

/** A group of `iteration` with a given id; optional fields appear at random. `withTurns` allows per-turn data (JSONL only). */
function groupArbitrary(iteration: number, groupId: string, cap: number | undefined, withTurns: boolean): fc.Arbitrary<SampleGroup> {
  return fc.integer({ min: 1, max: 5 }).chain((samples) =>
    fc
      .record(
        {
          promptId: fc.option(idText, { nil: undefined }),
          promptTokens: tokens,
          sharedPrefixFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
          prefixBlocks: fc.option(fc.record({ ids: fc.array(fc.nat({ max: 1e6 }), { maxLength: 6 }), size: fc.integer({ min: 1, max: 1024 }) }), { nil: undefined }),
          responseTokens: fc.array(cap === undefined ? tokens : fc.nat({ max: cap }), { minLength: samples, maxLength: samples }),
          truncated: fc.array(fc.boolean(), { minLength: samples, maxLength: samples }),
          rewardLatencyS: fc.option(latencySeconds, { nil: undefined }),
          toolLatencyS: fc.option(fc.array(latencySeconds, { minLength: samples, maxLength: samples }), { nil: undefined }),
          turns: withTurns ? fc.option(fc.array(fc.array(turn, { maxLength: 3 }), { minLength: samples, maxLength: samples }), { nil: undefined }) : fc.constant(undefined),
          referenceAnswerTokens: fc.option(tokens, { nil: undefined }),
          arrivalTimeS: fc.option(seconds, { nil: undefined }),
          trainingUse: fc.option(fc.constantFrom('trained' as const, 'kept-unused' as const, 'filtered-out' as const), { nil: undefined }),
        },
        { requiredKeys: ['promptTokens', 'responseTokens', 'truncated'] },
      )
      .map((r) => {
        const group: SampleGroup = {
          iteration,
          groupId,
          promptId: r.promptId ?? groupId,
          promptTokens: r.promptTokens,
          ...(r.sharedPrefixFraction !== undefined ? { sharedPrefixTokens: Math.floor(r.promptTokens * r.sharedPrefixFraction) } : {}),
          ...(r.prefixBlocks !== undefined ? { prefixBlockIds: r.prefixBlocks.ids, prefixBlockTokens: r.prefixBlocks.size } : {}),
          responseTokens: r.responseTokens,
          truncated: r.truncated,
          ...(r.rewardLatencyS !== undefined ? { rewardLatencyS: r.rewardLatencyS } : {}),
          ...(r.toolLatencyS !== undefined ? { toolLatencyS: r.toolLatencyS } : {}),
          ...(r.turns !== undefined ? { turns: r.turns } : {}),
          ...(r.referenceAnswerTokens !== undefined ? { referenceAnswerTokens: r.referenceAnswerTokens } : {}),
          ...(r.arrivalTimeS !== undefined ? { arrivalTimeS: r.arrivalTimeS } : {}),
          ...(r.trainingUse !== undefined ? { trainingUse: r.trainingUse } : {}),
        };
        return group;
      }),
  );
}

const metaArbitrary: fc.Arbitrary<WorkloadMeta> = fc
  .record(
    {
      synthetic: fc.boolean(),
      description: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
      generator: fc.option(fc.record({ name: fc.string({ maxLength: 10 }), seed: fc.integer(), parameters: fc.string({ maxLength: 20 }) }), { nil: undefined }),
      cap: fc.option(fc.record({ tokens: fc.integer({ min: 1, max: 40_000 }), source: fc.constantFrom('given' as const, 'inferred' as const, 'recorded' as const) }), { nil: undefined }),
      singleResponseGroups: fc.option(fc.boolean(), { nil: undefined }),
      notes: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
    },
    { requiredKeys: ['synthetic', 'notes'] },
  )
  .map((r) => ({
    format: 'lengths-jsonl',
    sources: [],
    synthetic: r.synthetic,
    ...(r.description !== undefined ? { description: r.description } : {}),
    ...(r.generator !== undefined ? { generator: r.generator } : {}),
    ...(r.cap !== undefined ? { maxResponseTokens: r.cap.tokens, maxResponseTokensSource: r.cap.source } : {}),
    ...(r.singleResponseGroups !== undefined ? { singleResponseGroups: r.singleResponseGroups } : {}),
    notes: r.notes,
  }));

/** Valid workloads: ascending iterations, unique group ids per iteration, responses within the cap. */
export function workloadArbitrary(options: { withTurns: boolean }): fc.Arbitrary<Workload> {
  return metaArbitrary.chain((meta) =>
    fc
      .uniqueArray(fc.nat({ max: 50 }), { minLength: 1, maxLength: 3 })
      .map((iterations) => [...iterations].sort((a, b) => a - b))
      .chain((iterationNumbers) =>
        fc.tuple(
          ...iterationNumbers.map((iteration) =>
            fc.tuple(fc.uniqueArray(idText, { minLength: 1, maxLength: 4 }), fc.option(fc.nat({ max: 9 }), { nil: undefined })).chain(([ids, epoch]) =>
              fc.tuple(...ids.map((id) => groupArbitrary(iteration, id, meta.maxResponseTokens, options.withTurns))).map(
                (groups): WorkloadIteration => (epoch === undefined ? { iteration, groups } : { iteration, epoch, groups }),
              ),
            ),
          ),
        ),
      )
      .map((iterations) => ({ meta, iterations })),
  );
}
