import { describe, expect, it } from "vitest";
import { contentHash, normalizeText } from "@/server/domain/items/content-hash";

describe("contentHash", () => {
  it("ignores differences in whitespace and Unicode composition", () => {
    expect(contentHash("  Café au\tlait \n")).toBe(contentHash("Cafe\u0301 au lait"));
    expect(normalizeText(" a \n\n b ")).toBe("a b");
  });

  it("distinguishes case and punctuation, which can change a label", () => {
    expect(contentHash("Apple")).not.toBe(contentHash("apple"));
    expect(contentHash("great")).not.toBe(contentHash("great?"));
  });

  it("is a sha256 hex digest", () => {
    expect(contentHash("meow")).toMatch(/^[0-9a-f]{64}$/);
  });
});
