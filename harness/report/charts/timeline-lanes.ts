/**
 * Greedy interval partitioning: gives each span the lowest lane (within its row) that is free at
 * its start, so overlapping spans of one pool are drawn one above the other. With spans visited
 * by start time this uses the fewest lanes possible. Returns lanes in the input's order.
 */
export function assignLanes(spans: readonly { readonly row: string; readonly start: number; readonly end: number }[]): number[] {
  const order = spans.map((_, index) => index).sort((a, b) => spans[a]!.start - spans[b]!.start || spans[a]!.end - spans[b]!.end || a - b);
  const laneEnds = new Map<string, number[]>();
  const lanes = new Array<number>(spans.length).fill(0);
  for (const index of order) {
    const span = spans[index]!;
    const ends = laneEnds.get(span.row) ?? [];
    let lane = ends.findIndex((end) => end <= span.start);
    if (lane === -1) {
      lane = ends.length;
      ends.push(span.end);
    } else ends[lane] = span.end;
    laneEnds.set(span.row, ends);
    lanes[index] = lane;
  }
  return lanes;
}
