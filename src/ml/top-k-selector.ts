/**
 * Bounded top-k over a stream of (priority, index) pairs: a binary min-heap of size k, O(N log k) time and O(k) memory,
 * so ranking a million-item pool never holds more than k entries. Ties break towards the lower index, so the result
 * is the same however the pool is chunked.
 */
export class TopKSelector {
  private readonly scores: Float64Array;
  private readonly ids: Float64Array;
  private size = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(0, k));
    this.ids = new Float64Array(Math.max(0, k));
  }

  /** True when (sa, ia) ranks below (sb, ib): lower score, or equal score and higher index. */
  private static worse(sa: number, ia: number, sb: number, ib: number): boolean {
    return sa < sb || (sa === sb && ia > ib);
  }

  /** Offer priorities[0..n) for global ids offset..offset+n. NaN priorities are ignored. */
  pushChunk(priorities: Float32Array | Float64Array, offset = 0, n = priorities.length): void {
    for (let i = 0; i < n; i++) this.push(priorities[i]!, offset + i);
  }

  push(score: number, id: number): void {
    if (this.k === 0 || Number.isNaN(score)) return;
    if (this.size < this.k) {
      let c = this.size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!TopKSelector.worse(score, id, this.scores[p]!, this.ids[p]!)) break;
        this.scores[c] = this.scores[p]!;
        this.ids[c] = this.ids[p]!;
        c = p;
      }
      this.scores[c] = score;
      this.ids[c] = id;
      return;
    }
    // Root is the worst kept entry; replace it only if the newcomer is better.
    if (!TopKSelector.worse(this.scores[0]!, this.ids[0]!, score, id)) return;
    let c = 0;
    const size = this.size;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= size) break;
      let m = l;
      const r = l + 1;
      if (r < size && TopKSelector.worse(this.scores[r]!, this.ids[r]!, this.scores[l]!, this.ids[l]!)) m = r;
      if (!TopKSelector.worse(this.scores[m]!, this.ids[m]!, score, id)) break;
      this.scores[c] = this.scores[m]!;
      this.ids[c] = this.ids[m]!;
      c = m;
    }
    this.scores[c] = score;
    this.ids[c] = id;
  }

  /** Kept entries, best first. */
  result(): { ids: number[]; scores: number[] } {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => this.scores[b]! - this.scores[a]! || this.ids[a]! - this.ids[b]!);
    return { ids: order.map((i) => this.ids[i]!), scores: order.map((i) => this.scores[i]!) };
  }
}
