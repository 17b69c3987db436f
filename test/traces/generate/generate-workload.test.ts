import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitLengthModel } from '../../../harness/traces/generate/fit-length-model.js';
import { generateWorkload, GENERATOR_NAME, type GenerateOptions } from '../../../harness/traces/generate/generate-workload.js';
import { parseLengthModel, type LengthModel } from '../../../harness/traces/generate/length-model.js';
import { workloadToJsonl } from '../../../harness/traces/generate/workload-jsonl.js';
import { projectRoot } from '../../../harness/util/shared-data.js';
import { join } from 'node:path';

/** A known model: 2-component mixture, rho 0.4, cap binding on about a fifth of samples. */
const known: LengthModel = parseLengthModel(
  JSON.stringify({
    schema: 'rlhf-replay.length-model/v1',
    name: 'known',
    description: 'test model',
    responseTokens: { family: 'mixture', components: [{ weight: 0.4, mu: 5.5, sigma: 0.5 }, { weight: 0.6, mu: 7.2, sigma: 0.6 }], capTokens: 1800 },
    promptTokens: { family: 'lognormal', components: [{ weight: 1, mu: 5, sigma: 0.3 }], minTokens: 50, maxTokens: 600 },
    groupCorrelation: { rho: 0.4, method: 'given', groups: 0 },
    samplesPerPrompt: 8,
    promptsPerIteration: 64,
  }),
  'known.json',
);

const base: GenerateOptions = { seed: 7, iterations: 3, promptsPerIteration: 64, samplesPerPrompt: 8, parametersName: 'known.json' };

describe('generateWorkload', () => {
  it('gives the same bytes for the same seed and different bytes for another', () => {
    const a = workloadToJsonl(generateWorkload(known, base));
    expect(workloadToJsonl(generateWorkload(known, base))).toBe(a);
    expect(workloadToJsonl(generateWorkload(known, { ...base, seed: 8 }))).not.toBe(a);
  });

  it('has the requested shape, is labelled synthetic, and caps at the cap', () => {
    const w = generateWorkload(known, base);
    expect(w.iterations.map((it) => it.iteration)).toEqual([0, 1, 2]);
    expect(w.iterations.every((it) => it.groups.length === 64 && it.groups.every((g) => g.responseTokens.length === 8))).toBe(true);
    expect(w.meta.synthetic).toBe(true);
    expect(w.meta.generator).toEqual({ name: GENERATOR_NAME, seed: 7, parameters: 'known.json' });
    expect(w.meta.maxResponseTokens).toBe(1800);
    const samples = w.iterations.flatMap((it) => it.groups.flatMap((g) => g.responseTokens.map((x, j) => ({ x, t: g.truncated[j]! }))));
    expect(samples.every(({ x, t }) => x <= 1800 && t === (x === 1800))).toBe(true);
    expect(samples.filter((s) => s.t).length).toBeGreaterThan(0);
    const prompts = w.iterations.flatMap((it) => it.groups.map((g) => g.promptTokens));
    expect(Math.min(...prompts)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...prompts)).toBeLessThanOrEqual(600);
  });

  it('keeps each prompt\'s draws when more prompts are asked for (one random stream per prompt)', () => {
    const small = generateWorkload(known, { ...base, iterations: 1, promptsPerIteration: 10 });
    const large = generateWorkload(known, { ...base, iterations: 1, promptsPerIteration: 100 });
    const lengths = (w: typeof small, id: string) => w.iterations[0]!.groups.find((g) => g.promptId === id)!.responseTokens;
    // Ids are zero-padded to the prompt count, so compare by index.
    expect(small.iterations[0]!.groups[7]!.responseTokens).toEqual(large.iterations[0]!.groups[7]!.responseTokens);
    expect(lengths(small, 'p7')).toEqual(lengths(large, 'p07'));
  });

  it('brings every prompt back once per epoch, with drift, reference answers and a shared prefix when asked', () => {
    const w = generateWorkload(known, {
      ...base,
      epochs: 3,
      iterations: 2,
      promptsPerIteration: 16,
      sharedPrefixTokens: 40,
      referenceAnswers: { medianTokens: 100, sigma: 0.5, latentCorrelation: 0.5 },
    });
    expect(w.iterations.map((it) => it.epoch)).toEqual([0, 0, 1, 1, 2, 2]);
    const idsOf = (epoch: number) => w.iterations.filter((it) => it.epoch === epoch).flatMap((it) => it.groups.map((g) => g.promptId)).sort();
    expect(idsOf(1)).toEqual(idsOf(0));
    expect(idsOf(2)).toEqual(idsOf(0));
    const groups = w.iterations.flatMap((it) => it.groups);
    expect(new Set(groups.map((g) => g.groupId)).size).toBe(groups.length);
    expect(groups.every((g) => g.sharedPrefixTokens === 40 && g.promptTokens > 40 && g.referenceAnswerTokens! >= 1)).toBe(true);
    // A prompt's reference answer is the dataset's: the same every epoch.
    const p0 = groups.filter((g) => g.promptId === 'p00');
    expect(new Set(p0.map((g) => g.referenceAnswerTokens)).size).toBe(1);
    expect(w.meta.notes.some((n) => n.startsWith('assumption referenceAnswer.latentCorrelation = 0.5'))).toBe(true);
  });

  it('rejects shapes that are not positive integers', () => {
    expect(() => generateWorkload(known, { ...base, iterations: 0 })).toThrow(RangeError);
    expect(() => generateWorkload(known, { ...base, samplesPerPrompt: 1.5 })).toThrow(RangeError);
  });
});

describe('fitting generated data recovers the generator\'s parameters (cap binding on ~20%)', () => {
  const workload = generateWorkload(known, { ...base, iterations: 4, promptsPerIteration: 500 });
  const censored = workload.iterations.flatMap((it) => it.groups.flatMap((g) => g.truncated)).filter(Boolean).length / 16000;
  const fitted = fitLengthModel(workload, {
    name: 'refit',
    description: '',
    family: 'mixture',
    components: 2,
    provenance: { sources: [], readerNotes: [], rows: { iterations: 4, groups: 2000, samples: 16000, censoredSamples: 0 }, method: '', command: '', date: '' },
  });

  it('recovers the mixture and the sibling correlation', () => {
    expect(censored).toBeGreaterThan(0.15);
    const [low, high] = fitted.responseTokens.components;
    expect(Math.abs(low!.weight - 0.4)).toBeLessThan(0.03);
    expect(Math.abs(low!.mu - 5.5)).toBeLessThan(0.05);
    expect(Math.abs(high!.mu - 7.2)).toBeLessThan(0.05);
    expect(Math.abs(high!.sigma - 0.6)).toBeLessThan(0.05);
    expect(Math.abs(fitted.groupCorrelation!.rho - 0.4)).toBeLessThan(0.04);
    expect(fitted.responseTokens.capTokens).toBe(1800);
    expect(fitted.goodnessOfFit.responseTokens.ksStatistic).toBeLessThan(0.015);
  });

  it('checks the group structure against a replica drawn from the fit', () => {
    const check = fitted.goodnessOfFit.groupStructure!;
    expect(Math.abs(check.replica.anovaIntraclassCorrelation - check.data.anovaIntraclassCorrelation)).toBeLessThan(0.05);
  });
});

describe('parseLengthModel', () => {
  it('accepts every committed fitted model', () => {
    for (const name of ['polytrace-dapo-32b', 'polytrace-video-grpo', 'polytrace-deepcoder-16k', 'sharegpt']) {
      const path = join(projectRoot, 'traces', 'fitted', `${name}.json`);
      expect(parseLengthModel(readFileSync(path, 'utf8'), path).name).toBe(name);
    }
  });

  it('names each bad field and value', () => {
    const bad = JSON.stringify({ schema: 'x', name: '', responseTokens: { family: 'gamma', components: [{ weight: 2, mu: 'a', sigma: -1 }] }, promptTokens: {}, groupCorrelation: { rho: 1.5 } });
    let message = '';
    try {
      parseLengthModel(bad, 'bad.json');
    } catch (error) {
      message = (error as Error).message;
    }
    for (const fragment of ["field 'schema'", "field 'responseTokens.family' value 'gamma'", "field 'responseTokens.components[0].sigma' value '-1'", "field 'groupCorrelation.rho' value '1.5'", "field 'name'"]) {
      expect(message).toContain(fragment);
    }
    expect(() => parseLengthModel('{not json', 'x.json')).toThrow(/x\.json:1:1: not valid JSON/);
  });
});
