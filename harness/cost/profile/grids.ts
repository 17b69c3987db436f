import { meanDecodeContext, type CalibrationRow } from '../calibration/profile-rows.js';
import { CrossGrid, Grid1D } from './grid.js';

/**
 * The measured grids of one GPU, built from its profile rows:
 * - kernel: per (model, op, tp), time against tokens (Vidur mlp.csv);
 * - collective: per (op, link scope, workers), time against bytes (Vidur all_reduce / send_recv);
 * - decode: per (model, tp), per-token time against batch × mean context per sequence
 *   (SplitwiseSim decode_token: mean over a run of prompt + (tokens − 1)/2 context);
 * - prefill: per (model, tp), time against batch × prompt tokens per sequence.
 */
export interface ProfileGrids {
  readonly kernel: ReadonlyMap<string, Grid1D>;
  readonly collective: ReadonlyMap<string, Grid1D>;
  readonly decode: ReadonlyMap<string, CrossGrid>;
  readonly prefill: ReadonlyMap<string, CrossGrid>;
  readonly notes: readonly string[];
}

export const kernelGridKey = (model: string, op: string, tp: number) => `${model}|${op}|${tp}`;
export const collectiveGridKey = (op: string, crossNode: boolean, workers: number) => `${op}|${crossNode ? 'inter-node' : 'intra-node'}|${workers}`;
export const replicaGridKey = (model: string, tp: number) => `${model}|${tp}`;

export function buildProfileGrids(rows: readonly CalibrationRow[]): ProfileGrids {
  const kernelPoints = new Map<string, [number, number][]>();
  const collectivePoints = new Map<string, [number, number][]>();
  const decodePoints = new Map<string, [number, number, number][]>();
  const prefillPoints = new Map<string, [number, number, number][]>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const { row, model, group } of rows) {
    if (group === 'decode') push(decodePoints, replicaGridKey(model!.id, row.tp), [row.batch!, meanDecodeContext(row), row.timeS]);
    else if (group === 'prefill') push(prefillPoints, replicaGridKey(model!.id, row.tp), [row.batch!, row.tokens!, row.timeS]);
    else if (group.startsWith('collective:')) push(collectivePoints, collectiveGridKey(row.op, row.crossNode === true, row.workers!), [row.bytes!, row.timeS]);
    else push(kernelPoints, kernelGridKey(model!.id, row.op, row.tp), [row.tokens!, row.timeS]);
  }
  const notes: string[] = [];
  const sortedMap = <V>(entries: Map<string, V>) => new Map([...entries.entries()].sort(([a], [b]) => a.localeCompare(b)));
  const oneD = (points: Map<string, [number, number][]>) => {
    const grids = new Map<string, Grid1D>();
    for (const [key, list] of points) grids.set(key, Grid1D.fromPoints(list));
    return sortedMap(grids);
  };
  const cross = (points: Map<string, [number, number, number][]>, what: string) => {
    const grids = new Map<string, CrossGrid>();
    for (const [key, list] of points) {
      const built = crossGrid(list);
      if (typeof built === 'string') notes.push(`${what} ${key}: ${built}`);
      else {
        grids.set(key, built.grid);
        if (built.offAxis > 0) notes.push(`${what} ${key}: ${built.offAxis} measurements off the two measured axes are not used by the interpolation`);
      }
    }
    return sortedMap(grids);
  };
  return {
    kernel: oneD(kernelPoints),
    collective: oneD(collectivePoints),
    decode: cross(decodePoints, 'decode grid'),
    prefill: cross(prefillPoints, 'prefill grid'),
    notes,
  };
}

/**
 * A cross from (a, b, t) points: the reference a₀ is the smallest a (batch 1); b₀ is the b
 * measured at the most values of a. The a-axis is the points at b₀, the b-axis the points at a₀.
 */
function crossGrid(points: readonly (readonly [number, number, number])[]): { grid: CrossGrid; offAxis: number } | string {
  const a0 = Math.min(...points.map((p) => p[0]));
  const aValuesByB = new Map<number, Set<number>>();
  for (const [a, b] of points) {
    let set = aValuesByB.get(b);
    if (!set) aValuesByB.set(b, (set = new Set()));
    set.add(a);
  }
  let b0 = Number.NaN;
  let most = -1;
  for (const b of [...aValuesByB.keys()].sort((x, y) => x - y)) {
    const count = aValuesByB.get(b)!.size;
    if (count > most) {
      most = count;
      b0 = b;
    }
  }
  const alongA = points.filter((p) => p[1] === b0).map((p) => [p[0], p[2]] as [number, number]);
  const alongB = points.filter((p) => p[0] === a0).map((p) => [p[1], p[2]] as [number, number]);
  if (!alongB.some((p) => p[0] === b0)) return `no measurement at the reference point (${a0}, ${b0})`;
  const first = Grid1D.fromPoints(alongA);
  const second = Grid1D.fromPoints(alongB);
  // Both axes hold the reference point; after monotone smoothing they may differ slightly.
  const reference = Math.sqrt(first.at(a0) * second.at(b0));
  const offAxis = points.filter((p) => p[0] !== a0 && p[1] !== b0).length;
  return { grid: new CrossGrid(first, second, reference), offAxis };
}
