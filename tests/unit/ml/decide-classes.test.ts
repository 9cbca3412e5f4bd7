import { describe, expect, it } from "vitest";
import { decideClasses } from "@/ml/decide-classes";

describe("decideClasses", () => {
  it("single-label: argmax, ties to the lowest index, unsure under the class threshold", () => {
    const P = Float32Array.from([0.2, 0.5, 0.3, 0.4, 0.4, 0.2, 0.1, 0.1, 0.8]);
    const d = decideClasses(P, 3, 3, "single-label", [0, 0.6, 0.9]);
    expect(Array.from(d.top)).toEqual([1, 0, 2]);
    expect(Array.from(d.on)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 1]);
    expect(Array.from(d.unsure)).toEqual([1, 0, 1]);
  });
  it("multi-label: every class at or over its threshold, possibly none", () => {
    const P = Float32Array.from([0.5, 0.49, 0.9, 0.1, 0.2, 0.3]);
    const d = decideClasses(P, 2, 3, "multi-label", [0.5, 0.5, 0.95]);
    expect(Array.from(d.on)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(Array.from(d.unsure)).toEqual([0, 0]);
    expect(Array.from(d.top)).toEqual([2, 2]);
  });
  it("NaN rows never turn a label on and are unsure", () => {
    const d = decideClasses(Float32Array.from([NaN, NaN]), 1, 2, "single-label", [0, 0]);
    expect(d.unsure[0]).toBe(1);
    const m = decideClasses(Float32Array.from([NaN, NaN]), 1, 2, "multi-label", [0.5, 0.5]);
    expect(Array.from(m.on)).toEqual([0, 0]);
  });
  it("rejects thresholds of the wrong length", () => {
    expect(() => decideClasses(new Float32Array(4), 2, 2, "single-label", [0])).toThrow(/1 thresholds for 2 classes/);
  });
});
