import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { crLineEndsToLf } from "@/server/domain/imports/cr-line-ends";
import { decodeText } from "@/server/domain/imports/decode-text";
import { utf16OrderOf, utf16ToUtf8 } from "@/server/domain/imports/utf16-to-utf8";

const le = (text: string) => Buffer.from(text, "utf16le");
const be = (text: string) => Buffer.from(text, "utf16le").swap16();

/** The bytes in chunks of `size`, so characters and line ends are split between chunks. */
function chunked(bytes: Buffer, size: number): AsyncIterable<Uint8Array> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

const TEXT = "text,label\r\ncafé 😀 naïve,ham\n日本語,spam\n";

describe("utf16ToUtf8", () => {
  it.each([1, 2, 3, 7, 1024])(
    "transcodes UTF-16 LE and BE, with and without a byte-order mark, in chunks of %i bytes",
    async (size) => {
      for (const bytes of [
        Buffer.concat([Buffer.from([0xff, 0xfe]), le(TEXT)]),
        Buffer.concat([Buffer.from([0xfe, 0xff]), be(TEXT)]),
        le(TEXT),
        be(TEXT),
      ]) {
        expect((await collect(utf16ToUtf8(chunked(bytes, size)))).toString("utf8")).toBe(TEXT);
      }
    },
  );

  it("passes UTF-8 through byte for byte, a NUL byte and bad bytes included", async () => {
    const bytes = Buffer.concat([
      Buffer.from("text,label\nnul"),
      Buffer.from([0x00, 0xc0, 0xaf]),
      Buffer.from("byte,ham\nok,spam\n"),
    ]);
    expect(utf16OrderOf(bytes)).toBeUndefined();
    expect((await collect(utf16ToUtf8(chunked(bytes, 5)))).equals(bytes)).toBe(true);
  });

  it("leaves UTF-32's byte-order mark and files too short to tell alone", () => {
    expect(utf16OrderOf(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00]))).toBeUndefined();
    expect(utf16OrderOf(le("ab"))).toBeUndefined();
  });

  it("writes an unpaired surrogate and an odd last byte as invalid UTF-8, so their line is a bad_encoding row", async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      le("a\n"),
      Buffer.from([0x00, 0xd8]),
      le("b\nc\n"),
      Buffer.from([0x41]),
    ]);
    const lines = (await collect(utf16ToUtf8(chunked(bytes, 3)))).toString("latin1").split("\n");
    expect(lines.map((line) => isUtf8(Buffer.from(line, "latin1")))).toEqual([true, false, true, false]);
  });
});

describe("crLineEndsToLf", () => {
  it("turns lone-CR line ends into LF when the file has no LF", async () => {
    expect((await collect(crLineEndsToLf(chunked(Buffer.from("a,b\rc,d\re,f\r"), 2)))).toString()).toBe(
      "a,b\nc,d\ne,f\n",
    );
  });

  it("leaves a file with LF or CRLF line ends alone, CRs inside lines included", async () => {
    const text = "a,b\r\nc\rd,e\nf,g\n";
    expect((await collect(crLineEndsToLf(chunked(Buffer.from(text), 3)))).toString()).toBe(text);
  });
});

describe("decodeText", () => {
  it("decodes a UTF-16 file with lone-CR line ends", async () => {
    expect(
      (await collect(decodeText(chunked(Buffer.concat([Buffer.from([0xff, 0xfe]), le("x,y\rz,w\r")]), 4)))).toString(),
    ).toBe("x,y\nz,w\n");
  });
});
