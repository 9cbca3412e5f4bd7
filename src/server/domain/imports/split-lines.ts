export interface ByteLine {
  /** 1-based physical line number. */
  line: number;
  /** Without the line ending (LF or CRLF) and, on line 1, without a UTF-8 byte-order mark. */
  bytes: Buffer;
  /** The line was longer than `maxLineBytes`: `bytes` holds only its start. */
  truncated: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Splits a byte stream into lines without decoding it, so that a bad byte sequence is reported against its own line
 * and memory stays bounded by the longest line (capped at `maxLineBytes`; the rest of a longer line is dropped).
 */
export async function* splitLines(source: AsyncIterable<Uint8Array>, maxLineBytes: number): AsyncGenerator<ByteLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let truncated = false;
  let lineNo = 1;

  const take = (): ByteLine => {
    let bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    if (lineNo === 1 && bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
    const result = { line: lineNo, bytes, truncated };
    pending = [];
    pendingBytes = 0;
    truncated = false;
    lineNo++;
    return result;
  };
  const append = (piece: Buffer) => {
    const room = maxLineBytes - pendingBytes;
    if (piece.length > room) {
      truncated = true;
      piece = piece.subarray(0, Math.max(0, room));
    }
    if (piece.length > 0) {
      pending.push(piece);
      pendingBytes += piece.length;
    }
  };

  for await (const chunk of source) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const end = buffer.indexOf(LF, start);
      if (end === -1) break;
      append(buffer.subarray(start, end));
      yield take();
      start = end + 1;
    }
    // Copy the tail: the source may reuse its chunk buffers.
    if (start < buffer.length) append(Buffer.from(buffer.subarray(start)));
  }
  if (pendingBytes > 0 || truncated) yield take();
}
