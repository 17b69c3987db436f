/**
 * A binary min-heap over parallel arrays, ordered by `key`, ties by `tie` (both numbers), each
 * entry carrying an item and a numeric tag (callers use the tag for lazy deletion). No object is
 * allocated per entry, which matters at millions of events.
 */
export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly ties: number[] = [];
  private readonly tags: number[] = [];
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(key: number, tie: number, item: T, tag = 0): void {
    this.keys.push(key);
    this.ties.push(tie);
    this.tags.push(tag);
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  /** The smallest key, or Infinity when empty. */
  peekKey(): number {
    return this.items.length > 0 ? this.keys[0]! : Infinity;
  }
  peekTie(): number {
    return this.items.length > 0 ? this.ties[0]! : -1;
  }
  peekTag(): number {
    return this.items.length > 0 ? this.tags[0]! : -1;
  }
  peek(): T | undefined {
    return this.items[0];
  }

  /** Removes the top entry and returns its item. */
  pop(): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const top = this.items[0]!;
    const key = this.keys.pop()!;
    const tie = this.ties.pop()!;
    const tag = this.tags.pop()!;
    const item = this.items.pop()!;
    if (n > 1) {
      this.keys[0] = key;
      this.ties[0] = tie;
      this.tags[0] = tag;
      this.items[0] = item;
      this.down(0);
    }
    return top;
  }

  /** Keeps only the entries `keep` accepts, then restores the heap order. */
  filter(keep: (item: T, tag: number) => boolean): void {
    let write = 0;
    for (let read = 0; read < this.items.length; read++) {
      if (!keep(this.items[read]!, this.tags[read]!)) continue;
      this.keys[write] = this.keys[read]!;
      this.ties[write] = this.ties[read]!;
      this.tags[write] = this.tags[read]!;
      this.items[write] = this.items[read]!;
      write++;
    }
    this.keys.length = this.ties.length = this.tags.length = this.items.length = write;
    for (let i = (write >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private less(i: number, j: number): boolean {
    const a = this.keys[i]!;
    const b = this.keys[j]!;
    return a < b || (a === b && this.ties[i]! < this.ties[j]!);
  }

  private swap(i: number, j: number): void {
    let t: number = this.keys[i]!;
    this.keys[i] = this.keys[j]!;
    this.keys[j] = t;
    t = this.ties[i]!;
    this.ties[i] = this.ties[j]!;
    this.ties[j] = t;
    t = this.tags[i]!;
    this.tags[i] = this.tags[j]!;
    this.tags[j] = t;
    const x = this.items[i]!;
    this.items[i] = this.items[j]!;
    this.items[j] = x;
  }

  private up(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(index: number): void {
    const n = this.items.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.less(right, left) ? right : left;
      if (!this.less(child, i)) break;
      this.swap(i, child);
      i = child;
    }
  }
}
