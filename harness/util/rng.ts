/**
 * Seeded pseudo-random numbers: sfc32 seeded through splitmix32 from a numeric seed or a string
 * label. Pure 32-bit integer arithmetic, so the same seed gives the same stream on every platform.
 * There is no global generator: every simulation owns its own, and `fork(label)` derives
 * independent streams (one per iteration, per scheduler, per shard) without consuming the parent.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** An independent generator whose stream depends only on this generator's seed and `label`. */
  fork(label: string | number): Rng;
  readonly seed: number;
}

function hashString(text: string, seed = 0x9e3779b9): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x85ebca6b);
    h = (h << 13) | (h >>> 19);
  }
  h ^= text.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Stable 32-bit hash of a string; used for seeds and for sharding by case id. */
export function stableHash32(text: string): number {
  return hashString(text);
}

export function createRng(seed: number | string): Rng {
  const numericSeed = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  const init = splitmix32(numericSeed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint32();
  let spareNormal: number | undefined;
  const rng: Rng = {
    seed: numericSeed,
    next: () => nextUint32() / 4294967296,
    int: (n: number) => Math.floor((nextUint32() / 4294967296) * n),
    normal: () => {
      if (spareNormal !== undefined) {
        const value = spareNormal;
        spareNormal = undefined;
        return value;
      }
      let u = 0;
      while (u === 0) u = nextUint32() / 4294967296;
      const v = nextUint32() / 4294967296;
      const radius = Math.sqrt(-2 * Math.log(u));
      spareNormal = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    fork: (label: string | number) => createRng(hashString(String(label), numericSeed ^ 0x5bd1e995)),
  };
  return rng;
}
