import { describe, expect, it } from "vitest";
import { createProgress } from "@/cli/margin/progress";

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, isTTY, columns: 60, write: (chunk: string) => chunks.push(chunk) };
}

describe("CLI progress on stderr", () => {
  it("prints plain lines at every tenth of the way when stderr is not a terminal", () => {
    const s = stream(false);
    const p = createProgress(s);
    p.phase("loading");
    for (let done = 0; done <= 1000; done++) p.update("embedding", done, 1000, "texts");
    p.note("a detail");
    expect(s.chunks.join("")).toBe(
      [
        "loading…",
        ...Array.from(
          { length: 11 },
          (_, t) => `embedding: ${(t * 100).toLocaleString("en")}/1,000 texts (${t * 10}%)`,
        ),
        "a detail",
        "",
      ].join("\n"),
    );
  });

  it("without a total, prints a line each time the count doubles", () => {
    const s = stream(false);
    const p = createProgress(s);
    for (const bytes of [1, 3, 5, 7, 9, 1000]) p.update("exporting", bytes, undefined, "bytes");
    expect(s.chunks).toEqual([
      "exporting: 1 bytes\n",
      "exporting: 3 bytes\n",
      "exporting: 5 bytes\n",
      "exporting: 9 bytes\n",
      "exporting: 1,000 bytes\n",
    ]);
  });

  it("redraws one bar on a terminal, keeps notes above it and clears it at the end", () => {
    const s = stream(true);
    const p = createProgress(s);
    p.update("embedding", 5, 10, "texts");
    p.note("warning: x");
    p.update("embedding", 10, 10, "texts");
    p.end();
    const out = s.chunks.join("");
    // The bar is redrawn in place (\r), never scrolled as a line of its own.
    expect(out).not.toMatch(/texts\n/);
    expect(out).toContain("embedding [############------------] 5/10 texts");
    expect(out).toContain("warning: x\n");
    expect(out).toContain("embedding [########################] 10/10 texts");
    // Ends on a cleared line: the last write blanks the bar and returns the cursor.
    expect(s.chunks.at(-1)).toMatch(/^\r +\r$/);
  });

  it("prints nothing but notes with --quiet", () => {
    const s = stream(true);
    const p = createProgress(s, { quiet: true });
    p.phase("loading");
    p.update("embedding", 1, 2);
    p.note("Saved m.json");
    p.end();
    expect(s.chunks).toEqual(["Saved m.json\n"]);
  });
});
