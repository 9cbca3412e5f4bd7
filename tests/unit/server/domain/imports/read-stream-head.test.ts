import { describe, expect, it } from "vitest";
import { readStreamHead } from "@/server/domain/imports/read-stream-head";
import { createRng } from "@/ml/rng";

async function* chunksOf(...chunks: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of source) out.push(chunk);
  return out;
}

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString("latin1");

describe("readStreamHead", () => {
  it("reads whole chunks until the head is long enough, when a chunk boundary falls inside it", async () => {
    const { head, ended, rest } = await readStreamHead(chunksOf("abc", "defg", "hijkl"), 5);
    expect(head.toString("latin1")).toBe("abcdefg");
    expect(ended).toBe(false);
    expect(text(await collect(rest))).toBe("hijkl");
  });

  it("stops at a boundary that ends the head exactly, without knowing yet whether the stream ends there", async () => {
    const { head, ended, rest } = await readStreamHead(chunksOf("abcde", "fghij"), 5);
    expect(head.toString("latin1")).toBe("abcde");
    expect(ended).toBe(false);
    expect(text(await collect(rest))).toBe("fghij");
  });

  it("returns a stream shorter than the head whole, ended, with nothing to replay after it", async () => {
    const { head, ended, rest } = await readStreamHead(chunksOf("ab", "cd"), 10);
    expect(head.toString("latin1")).toBe("abcd");
    expect(ended).toBe(true);
    expect(await collect(rest)).toEqual([]);
  });

  it("returns an empty stream as an empty head, ended", async () => {
    const { head, ended, rest } = await readStreamHead(chunksOf(), 64);
    expect(head.length).toBe(0);
    expect(ended).toBe(true);
    expect(await collect(rest)).toEqual([]);
  });

  it("stops early at the first chunk `until` accepts", async () => {
    const { head, ended, rest } = await readStreamHead(chunksOf("a\rb", "c\nd", "e\nf"), 1_000, (chunk) =>
      chunk.includes(0x0a),
    );
    expect(head.toString("latin1")).toBe("a\rbc\nd");
    expect(ended).toBe(false);
    expect(text(await collect(rest))).toBe("e\nf");
  });

  it("keeps a chunk's own bytes when it is a view into a larger buffer", async () => {
    const backing = Buffer.from("xxABCDEFyy", "latin1");
    const { head, rest } = await readStreamHead(chunksOf(backing.subarray(2, 5), backing.subarray(5, 8)), 2);
    expect(head.toString("latin1")).toBe("ABC");
    expect(text(await collect(rest))).toBe("DEF");
  });

  it("replays every byte in order for any chunking and head size (seeded)", async () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 200; trial++) {
      const total = rng.int(40);
      const bytes = Uint8Array.from({ length: total }, () => rng.int(256));
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < total;) {
        const size = 1 + rng.int(7);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      const want = 1 + rng.int(30);
      const { head, ended, rest } = await readStreamHead(chunksOf(...chunks), want);
      const after = await collect(rest);
      expect(Buffer.concat([head, ...after]).equals(Buffer.from(bytes))).toBe(true);
      expect(head.length).toBeGreaterThanOrEqual(Math.min(want, total));
      if (ended) expect(head.length).toBe(total);
      else expect(head.length).toBeGreaterThanOrEqual(want);
    }
  });

  it("closes the source when the reader stops reading the rest early", async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < 100; i++) yield Buffer.from([i]);
      } finally {
        closed = true;
      }
    }
    const { rest } = await readStreamHead(source(), 2);
    for await (const chunk of rest) if (chunk[0] === 5) break;
    expect(closed).toBe(true);
  });
});
