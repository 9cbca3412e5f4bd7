/** Embeds texts: Float32Array [texts.length × dim], row-major (the shape of a Featurizer's `embed`). */
export type EmbedTexts = (texts: string[]) => Promise<Float32Array>;

/**
 * Cosine near-duplicate detection against the examples a class already has. Vectors are normalized once when
 * added, so a check is one dot product per stored row.
 */
export class NearDuplicateIndex {
  private rows: Float32Array[] = [];
  private ids: (number | null)[] = [];

  constructor(
    private readonly embed: EmbedTexts,
    readonly threshold: number,
  ) {}

  get size() {
    return this.rows.length;
  }

  async addTexts(texts: string[], ids: (number | null)[], chunk = 256): Promise<void> {
    for (let start = 0; start < texts.length; start += chunk) {
      const part = texts.slice(start, start + chunk);
      const matrix = await this.embed(part);
      const dim = part.length ? matrix.length / part.length : 0;
      for (let i = 0; i < part.length; i++) this.push(matrix.subarray(i * dim, (i + 1) * dim), ids[start + i] ?? null);
    }
  }

  async vectorOf(text: string): Promise<Float32Array> {
    return normalized(await this.embed([text]));
  }

  /** The most similar stored example at or above the threshold, if any. */
  nearest(vector: Float32Array): { id: number | null; similarity: number } | null {
    let best = -Infinity;
    let bestIndex = -1;
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r]!;
      let dot = 0;
      for (let j = 0; j < row.length; j++) dot += row[j]! * vector[j]!;
      if (dot > best) {
        best = dot;
        bestIndex = r;
      }
    }
    return bestIndex >= 0 && best >= this.threshold ? { id: this.ids[bestIndex]!, similarity: best } : null;
  }

  push(vector: Float32Array, id: number | null) {
    this.rows.push(normalized(vector));
    this.ids.push(id);
  }
}

function normalized(v: Float32Array): Float32Array {
  let sum = 0;
  for (let j = 0; j < v.length; j++) sum += v[j]! * v[j]!;
  const norm = Math.sqrt(sum);
  const out = new Float32Array(v.length);
  // A zero vector (no known words) is left at zero: similar to nothing rather than NaN.
  if (norm > 0) for (let j = 0; j < v.length; j++) out[j] = v[j]! / norm;
  return out;
}
