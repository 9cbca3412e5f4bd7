import { isUtf8 } from "node:buffer";
import { Transform, type TransformCallback } from "node:stream";

/**
 * Passes bytes through unchanged and remembers which physical lines are not valid UTF-8, so that a parser that
 * decodes leniently (csv-parse) can still have its rows with bad bytes reported, by line. It also keeps where the
 * recent lines start, so that a parser error known only by its byte offset (csv-parse's unclosed quote) can be
 * placed on its line.
 */
export class Utf8LineChecker extends Transform {
  readonly badLines = new Set<number>();
  private lineNo = 1;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private bytesSeen = 0;
  /** Offsets of the newlines in the last `2 × maxLineBytes` bytes (from `recentStart` on); older ones are only counted. */
  private recentNewlines: number[] = [];
  private recentStart = 0;
  private forgottenNewlines = 0;
  private forgottenUpTo = -1;

  constructor(private readonly maxLineBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    // Fast path: a chunk that is valid as a whole (and no line in progress) needs no per-line work.
    if (this.pendingBytes === 0 && isUtf8(chunk) && chunk[chunk.length - 1] === 0x0a) {
      let count = 0;
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) {
        count++;
        this.recentNewlines.push(this.bytesSeen + i);
      }
      this.lineNo += count;
      this.advance(chunk.length);
      callback(null, chunk);
      return;
    }
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      this.add(chunk.subarray(start, end));
      this.finishLine();
      this.recentNewlines.push(this.bytesSeen + end);
      start = end + 1;
    }
    if (start < chunk.length) this.add(Buffer.from(chunk.subarray(start)));
    this.advance(chunk.length);
    callback(null, chunk);
  }

  /**
   * The line (from 1) that holds byte `offset` of the stream, or undefined when the offset lies before the recent
   * window (csv-parse reports an unclosed quote only when the rest of the file fits in one record, so within it).
   */
  lineAt(offset: number): number | undefined {
    if (offset <= this.forgottenUpTo) return undefined;
    let before = this.recentStart;
    while (before < this.recentNewlines.length && this.recentNewlines[before]! < offset) before++;
    return 1 + this.forgottenNewlines + before - this.recentStart;
  }

  private advance(bytes: number) {
    this.bytesSeen += bytes;
    const keepFrom = this.bytesSeen - 2 * this.maxLineBytes;
    while (this.recentStart < this.recentNewlines.length && this.recentNewlines[this.recentStart]! < keepFrom) {
      this.forgottenUpTo = this.recentNewlines[this.recentStart]!;
      this.forgottenNewlines++;
      this.recentStart++;
    }
    // Compacted now and then rather than shifted per line.
    if (this.recentStart > 4096 && this.recentStart * 2 > this.recentNewlines.length) {
      this.recentNewlines = this.recentNewlines.slice(this.recentStart);
      this.recentStart = 0;
    }
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
