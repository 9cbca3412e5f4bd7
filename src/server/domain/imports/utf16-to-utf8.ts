import { readStreamHead } from "@/server/domain/imports/read-stream-head";

const SNIFF_BYTES = 512;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Never valid UTF-8: a line holding it is reported as bad_encoding by the readers, like any other bad byte.
const INVALID_UTF8 = Buffer.from([0xff]);

export type Utf16Order = "le" | "be";

/**
 * UTF-16 recognized from a file's first bytes: a byte-order mark (FF FE, FE FF; not UTF-32's FF FE 00 00), or
 * without one, text whose high bytes are mostly zero (Latin text, as CSV headers and JSON keys are): six in ten code
 * units with a zero high byte and at most one in ten with a zero low byte. A UTF-8 file with a few NUL bytes is not
 * mistaken for it.
 */
export function utf16OrderOf(head: Uint8Array): { order: Utf16Order; bom: boolean } | undefined {
  if (head[0] === 0xff && head[1] === 0xfe && !(head[2] === 0 && head[3] === 0)) return { order: "le", bom: true };
  if (head[0] === 0xfe && head[1] === 0xff) return { order: "be", bom: true };
  const units = Math.floor(Math.min(head.length, SNIFF_BYTES) / 2);
  if (units < 4) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < units; i++) {
    if (head[2 * i] === 0) zeroEven++;
    if (head[2 * i + 1] === 0) zeroOdd++;
  }
  if (zeroOdd >= 0.6 * units && zeroEven <= 0.1 * units) return { order: "le", bom: false };
  if (zeroEven >= 0.6 * units && zeroOdd <= 0.1 * units) return { order: "be", bom: false };
  return undefined;
}

/** A string as UTF-8, with each unpaired surrogate written as an invalid byte instead of silently as U+FFFD. */
function utf8Of(text: string): Buffer {
  if (!LONE_SURROGATE.test(text)) return Buffer.from(text, "utf8");
  LONE_SURROGATE.lastIndex = 0;
  return Buffer.concat(
    text
      .split(LONE_SURROGATE)
      .flatMap((part, i) => (i === 0 ? [Buffer.from(part, "utf8")] : [INVALID_UTF8, Buffer.from(part, "utf8")])),
  );
}

/**
 * A UTF-16 file (Excel's "Unicode text", Windows tools) as UTF-8 while it streams, in constant memory; any other
 * file passes through untouched. The byte-order mark is dropped; a character split across chunks (an odd byte, a
 * high surrogate at a chunk's end) waits for the next chunk.
 */
export async function* utf16ToUtf8(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const { head: first, ended: done, rest } = await readStreamHead(source, SNIFF_BYTES);
  const utf16 = utf16OrderOf(first);
  if (!utf16) {
    if (first.length) yield first;
    yield* rest;
    return;
  }
  let carry = Buffer.alloc(0);
  let highSurrogate = "";
  const decode = (chunk: Buffer, last: boolean): Buffer => {
    const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const even = last ? bytes.length : bytes.length - (bytes.length % 2);
    carry = Buffer.from(bytes.subarray(even));
    const units = Buffer.from(bytes.subarray(0, even - (even % 2)));
    if (utf16.order === "be") units.swap16();
    let text = highSurrogate + units.toString("utf16le");
    highSurrogate = "";
    const end = text.charCodeAt(text.length - 1);
    if (!last && end >= 0xd800 && end <= 0xdbff) {
      highSurrogate = text.slice(-1);
      text = text.slice(0, -1);
    }
    // An odd byte at the very end of the file is not a character.
    return last && even % 2 ? Buffer.concat([utf8Of(text), INVALID_UTF8]) : utf8Of(text);
  };
  const start = decode(utf16.bom ? first.subarray(2) : first, done);
  if (start.length) yield start;
  if (done) return;
  for await (const chunk of rest) {
    const out = decode(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), false);
    if (out.length) yield out;
  }
  const tail = decode(Buffer.alloc(0), true);
  if (tail.length) yield tail;
}
