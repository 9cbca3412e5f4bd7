import { describe, expect, it } from "vitest";
import { cosineSimilarities } from "@/ml/cosine-similarity";
import { expectClose } from "../../helpers/expect-close";

describe("cosineSimilarities", () => {
  it("matches reference values and ignores vector length", () => {
    const q = Float32Array.from([1, 0, 0]);
    const X = Float32Array.from([2, 0, 0, 0, 3, 0, 1, 1, 0, -1, 0, 0]);
    const out = new Float64Array(4);
    cosineSimilarities(q, X, 4, 3, out);
    expectClose(out, [1, 0, Math.SQRT1_2, -1], { abs: 1e-12 });
  });

  it("gives NaN for a zero row or a zero query and rejects bad shapes", () => {
    const out = new Float64Array(2);
    cosineSimilarities(Float32Array.from([1, 1]), Float32Array.from([0, 0, 1, 1]), 2, 2, out);
    expect(Number.isNaN(out[0])).toBe(true);
    expectClose(out[1]!, 1, { abs: 1e-12 });
    cosineSimilarities(Float32Array.from([0, 0]), Float32Array.from([1, 1]), 1, 2, out);
    expect(Number.isNaN(out[0])).toBe(true);
    expect(() => cosineSimilarities(Float32Array.from([1]), Float32Array.from([1, 1]), 1, 2, out)).toThrow(/expected/);
  });
});
