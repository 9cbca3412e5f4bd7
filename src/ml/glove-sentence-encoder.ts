import { tokenizeForGlove } from "@/ml/tokenize-for-glove";

export interface GloveEncoderConfig {
  /** "mean": plain average; "sif": a / (a + p(w)) weights (Arora et al. 2017) with p(w) from Zipf's law on GloVe's rank. */
  weighting: "mean" | "sif";
  /** SIF smoothing a. Default 1e-3. */
  sifA?: number;
  /** Remove the projection on the top-D principal components of the vocabulary (all-but-the-top, Mu & Viswanath 2018). */
  removeComponents: number;
  /** Subtract the vocabulary mean vector from each sentence vector before removal/normalization. */
  center: boolean;
  /** L2-normalize each sentence vector. */
  l2: boolean;
  /** Unknown words: "skip", or "ngram": average of hashed character 3–5-gram vectors learnt from the vocabulary. */
  oov: "skip" | "ngram";
  /**
   * Append the L2-normalized plain mean (same OOV handling) after this vector, doubling the dimension. SIF weighting
   * nearly erases frequent function words, which carry the signal for question types (TREC: "what", "who", "how");
   * the concatenation keeps both views and lets the classifier weigh them.
   */
  concatMean?: boolean;
}

const NGRAM_BUCKETS = 1 << 16;
const NGRAM_TABLES = new WeakMap<Float32Array, Float32Array>();
/** Words used for vocabulary statistics (principal components, mean); the most frequent ones dominate sentences. */
const STATS_WORDS = 30_000;

/**
 * wink's copy of GloVe drops single letters, digits and clitics ("i", "a", "2004", "n't", "'s"); map the useful ones
 * to in-vocabulary stand-ins (documented in docs/decisions/glove-featurizer.md): clitics to their full words,
 * "i" to "me", numbers to "year" / "phone" / "number" by shape. Returns "" to drop a token.
 */
const SUBSTITUTES = new Map<string, string>([
  ["n't", "not"],
  ["'m", "am"],
  ["'re", "are"],
  ["'ve", "have"],
  ["'ll", "will"],
  ["'d", "would"],
  ["'s", ""],
  ["i", "me"],
  ["u", "you"],
  ["isnt", "not"],
  ["whats", "what"],
]);
function substituteToken(tok: string): string {
  const s = SUBSTITUTES.get(tok);
  if (s !== undefined) return s;
  const c = tok.charCodeAt(0);
  if (c >= 48 && c <= 57 && /^[0-9][0-9.,:/-]*$/.test(tok)) {
    if (/^(19|20)[0-9]{2}$/.test(tok)) return "year";
    if (tok.replace(/[^0-9]/g, "").length >= 7) return "phone";
    return "number";
  }
  return tok;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function forEachNgram(word: string, fn: (bucket: number) => void): void {
  const w = `<${word}>`;
  for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= w.length; i++) fn(fnv1a(w.slice(i, i + n)) % NGRAM_BUCKETS);
}

/**
 * Sentence vectors from GloVe word vectors. Pure and deterministic: every statistic (SIF weights, mean, principal
 * components, n-gram table) is derived from the GloVe vectors themselves, never from the project's texts, so a given
 * config always maps a text to the same vector (safe to cache by featurizer id + content hash).
 * words: frequency order; vectors: Float32Array [V × dim].
 */
export class GloveSentenceEncoder {
  readonly dim: number;
  private readonly index = new Map<string, number>();
  private readonly weight: Float32Array; // [V]
  private readonly mean: Float64Array; // [dim]
  private readonly components: Float64Array; // [D × dim]
  private ngram: Float32Array | null = null; // [buckets × dim]

  private readonly meanPart: GloveSentenceEncoder | null;
  private readonly wordDim: number;

  constructor(
    private readonly words: string[],
    private readonly vectors: Float32Array,
    dim: number,
    private readonly config: GloveEncoderConfig,
  ) {
    this.wordDim = dim;
    this.dim = config.concatMean ? 2 * dim : dim;
    this.meanPart = config.concatMean
      ? new GloveSentenceEncoder(words, vectors, dim, {
          weighting: "mean",
          removeComponents: 0,
          center: false,
          l2: true,
          oov: config.oov,
        })
      : null;
    const V = words.length;
    for (let r = 0; r < V; r++) if (!this.index.has(words[r]!)) this.index.set(words[r]!, r);
    this.weight = new Float32Array(V);
    const a = config.sifA ?? 1e-3;
    // Zipf: p(rank r) ≈ 1 / ((r + 1) · H), H ≈ ln(400k) + γ for GloVe-6B's 400k-word vocabulary.
    const H = Math.log(400_000) + 0.5772;
    for (let r = 0; r < V; r++) this.weight[r] = config.weighting === "sif" ? a / (a + 1 / ((r + 1) * H)) : 1;
    const S = Math.min(V, STATS_WORDS);
    this.mean = new Float64Array(dim);
    for (let r = 0; r < S; r++) for (let j = 0; j < dim; j++) this.mean[j] = this.mean[j]! + vectors[r * dim + j]! / S;
    this.components = topPrincipalComponents(vectors, S, dim, this.mean, config.removeComponents);
    if (config.oov === "ngram") this.buildNgramTable();
  }

  private buildNgramTable(): void {
    // The table depends only on the vectors: build it once per vector set (the concatenated mean view reuses it).
    const cached = NGRAM_TABLES.get(this.vectors);
    if (cached) {
      this.ngram = cached;
      return;
    }
    const d = this.wordDim;
    const sum = new Float32Array(NGRAM_BUCKETS * d);
    const cnt = new Float32Array(NGRAM_BUCKETS);
    const V = this.words.length;
    for (let r = 0; r < V; r++) {
      const w = this.words[r]!;
      if (!/^[\p{L}]+$/u.test(w)) continue;
      forEachNgram(w, (b) => {
        cnt[b] = cnt[b]! + 1;
        for (let j = 0; j < d; j++) sum[b * d + j] = sum[b * d + j]! + this.vectors[r * d + j]!;
      });
    }
    for (let b = 0; b < NGRAM_BUCKETS; b++)
      if (cnt[b]! > 0) for (let j = 0; j < d; j++) sum[b * d + j] = sum[b * d + j]! / cnt[b]!;
    this.ngram = sum;
    NGRAM_TABLES.set(this.vectors, sum);
  }

  /**
   * Adds weight × vector(token) into acc and returns the weight used (0 if the token is unknown and skipped). With
   * `plain` (the concatenated mean view) the same vector also goes into plain.acc with weight 1, counted in
   * plain.total: one lookup and one n-gram average serve both halves.
   */
  private addToken(
    token: string,
    acc: Float64Array,
    tmp: Float64Array,
    plain: { acc: Float64Array; total: number } | null,
  ): number {
    const d = this.wordDim;
    const tok = substituteToken(token);
    if (tok === "") return 0;
    const r = this.index.get(tok);
    if (r !== undefined) {
      const w = this.weight[r]!;
      for (let j = 0; j < d; j++) acc[j] = acc[j]! + w * this.vectors[r * d + j]!;
      if (plain) {
        for (let j = 0; j < d; j++) plain.acc[j] = plain.acc[j]! + this.vectors[r * d + j]!;
        plain.total += 1;
      }
      return w;
    }
    // Hyphenated / dotted compounds: average their known parts.
    if (/[-.'&]/.test(tok) && tok.length > 1) {
      const parts = tok.split(/[-.'&]+/).filter((p) => p.length > 0);
      if (parts.length > 1) {
        let total = 0;
        for (const p of parts) total += this.addToken(p, acc, tmp, plain);
        return total;
      }
    }
    if (this.ngram && /\p{L}/u.test(tok)) {
      tmp.fill(0);
      let n = 0;
      const ng = this.ngram;
      forEachNgram(tok, (b) => {
        n++;
        for (let j = 0; j < d; j++) tmp[j] = tmp[j]! + ng[b * d + j]!;
      });
      if (n === 0) return 0;
      // Unknown words are rare by definition: give them the SIF weight of the rarest known word.
      const w = this.config.weighting === "sif" ? this.weight[this.weight.length - 1]! : 1;
      for (let j = 0; j < d; j++) acc[j] = acc[j]! + (w * tmp[j]!) / n;
      if (plain) {
        for (let j = 0; j < d; j++) plain.acc[j] = plain.acc[j]! + tmp[j]! / n;
        plain.total += 1;
      }
      return w;
    }
    return 0;
  }

  /** acc (weights summing to total) → this view's sentence vector, written at out[offset, offset + wordDim). */
  private finish(acc: Float64Array, total: number, out: Float32Array, offset: number): void {
    const d = this.wordDim;
    if (total === 0) return;
    for (let j = 0; j < d; j++) acc[j] = acc[j]! / total;
    if (this.config.center) for (let j = 0; j < d; j++) acc[j] = acc[j]! - this.mean[j]!;
    const D = this.components.length / d;
    for (let c = 0; c < D; c++) {
      let proj = 0;
      for (let j = 0; j < d; j++) proj += acc[j]! * this.components[c * d + j]!;
      for (let j = 0; j < d; j++) acc[j] = acc[j]! - proj * this.components[c * d + j]!;
    }
    let norm = 1;
    if (this.config.l2) {
      let s = 0;
      for (let j = 0; j < d; j++) s += acc[j]! * acc[j]!;
      norm = Math.sqrt(s) || 1;
    }
    for (let j = 0; j < d; j++) out[offset + j] = acc[j]! / norm;
  }

  /**
   * texts → Float32Array [n × dim]. Texts without any known word map to the zero vector. The concatenated mean view
   * is filled in the same pass (each text tokenized and each word looked up once), exactly as its own encoder would.
   */
  encode(texts: string[]): Float32Array {
    const d = this.wordDim;
    const D2 = this.dim;
    const out = new Float32Array(texts.length * D2);
    const acc = new Float64Array(d);
    const tmp = new Float64Array(d);
    const plain = this.meanPart ? { acc: new Float64Array(d), total: 0 } : null;
    for (let i = 0; i < texts.length; i++) {
      acc.fill(0);
      let total = 0;
      if (plain) {
        plain.acc.fill(0);
        plain.total = 0;
      }
      for (const tok of tokenizeForGlove(texts[i] ?? "")) total += this.addToken(tok, acc, tmp, plain);
      this.finish(acc, total, out, i * D2);
      if (plain) this.meanPart!.finish(plain.acc, plain.total, out, i * D2 + d);
    }
    return out;
  }

  /** Share of tokens found in the vocabulary (diagnostics for the benchmark). */
  coverage(texts: string[]): number {
    let known = 0,
      total = 0;
    for (const t of texts)
      for (const tok of tokenizeForGlove(t)) {
        total++;
        if (this.index.has(tok)) known++;
      }
    return total > 0 ? known / total : 1;
  }
}

/** Top-D eigenvectors of the covariance of rows 0..S of X [· × dim] (centred by mean), by power iteration with deflation. */
function topPrincipalComponents(X: Float32Array, S: number, dim: number, mean: Float64Array, D: number): Float64Array {
  const out = new Float64Array(D * dim);
  if (D === 0) return out;
  const C = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let r = 0; r < S; r++) {
    for (let j = 0; j < dim; j++) row[j] = X[r * dim + j]! - mean[j]!;
    for (let a = 0; a < dim; a++) {
      const ra = row[a]!;
      for (let b = a; b < dim; b++) C[a * dim + b] = C[a * dim + b]! + ra * row[b]!;
    }
  }
  for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) C[a * dim + b] = C[b * dim + a]!;
  const v = new Float64Array(dim);
  const w = new Float64Array(dim);
  for (let c = 0; c < D; c++) {
    for (let j = 0; j < dim; j++) v[j] = 1 / Math.sqrt(dim) + (j === c ? 0.1 : 0);
    let lambda = 0;
    for (let it = 0; it < 500; it++) {
      for (let a = 0; a < dim; a++) {
        let s = 0;
        for (let b = 0; b < dim; b++) s += C[a * dim + b]! * v[b]!;
        w[a] = s;
      }
      let nrm = 0;
      for (let a = 0; a < dim; a++) nrm += w[a]! * w[a]!;
      nrm = Math.sqrt(nrm);
      if (nrm === 0) break;
      let diff = 0;
      for (let a = 0; a < dim; a++) {
        const nv = w[a]! / nrm;
        diff += Math.abs(nv - v[a]!);
        v[a] = nv;
      }
      lambda = nrm;
      if (diff < 1e-10) break;
    }
    // Sign convention: largest-magnitude coordinate positive, for determinism across runs.
    let big = 0;
    for (let a = 0; a < dim; a++) if (Math.abs(v[a]!) > Math.abs(v[big]!)) big = a;
    const sign = v[big]! < 0 ? -1 : 1;
    for (let a = 0; a < dim; a++) out[c * dim + a] = sign * v[a]!;
    for (let a = 0; a < dim; a++)
      for (let b = 0; b < dim; b++) C[a * dim + b] = C[a * dim + b]! - lambda * v[a]! * v[b]!;
  }
  return out;
}
