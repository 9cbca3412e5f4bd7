import { isUtf8 } from "node:buffer";
import { Transform, type TransformCallback } from "node:stream";

/**
 * Passes bytes through unchanged and remembers which physical lines are not valid UTF-8, so that a parser that
 * decodes leniently (csv-parse) can still have its rows with bad bytes reported, by line.
 */
export class Utf8LineChecker extends Transform {
  readonly badLines = new Set<number>();
  private lineNo = 1;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    // Fast path: a chunk that is valid as a whole (and no line in progress) needs no per-line work.
    if (this.pendingBytes === 0 && isUtf8(chunk) && chunk[chunk.length - 1] === 0x0a) {
      let count = 0;
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) count++;
      this.lineNo += count;
      callback(null, chunk);
      return;
    }
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      this.add(chunk.subarray(start, end));
      this.finishLine();
      start = end + 1;
    }
    if (start < chunk.length) this.add(Buffer.from(chunk.subarray(start)));
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback) {
    if (this.pendingBytes > 0) this.finishLine();
    callback();
  }

  private add(piece: Buffer) {
    // Beyond the cap only the line's start is checked; such a line is reported as too long anyway.
    if (this.pendingBytes >= this.maxLineBytes) return;
    this.pending.push(piece);
    this.pendingBytes += piece.length;
  }

  private finishLine() {
    const line = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    if (!isUtf8(line)) this.badLines.add(this.lineNo);
    this.pending = [];
    this.pendingBytes = 0;
    this.lineNo++;
  }
}
