export interface StreamHead {
  /** The chunks read, joined: at least `bytes` bytes unless the stream ended or `until` stopped early (whole chunks, so it may be longer). */
  head: Buffer;
  /** Whether the stream ended within the head: `rest` then yields nothing. */
  ended: boolean;
  /** The chunks after the head, from the same source: a reader replays `head`, then these. */
  rest: AsyncGenerator<Uint8Array>;
}

/**
 * Reads the start of a byte stream to decide how to read all of it (a file's magic bytes, its text encoding, its
 * line ends) without holding more than the head: reads whole chunks until `bytes` bytes, the end, or a chunk for
 * which `until` is true. Stopping to read `rest` early closes the source.
 */
export async function readStreamHead(
  source: AsyncIterable<Uint8Array>,
  bytes: number,
  until?: (chunk: Buffer) => boolean,
): Promise<StreamHead> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    chunks.push(chunk);
    length += chunk.length;
    if (until?.(chunk)) break;
  }
  return {
    head: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length),
    ended,
    rest: remaining(iterator, ended),
  };
}

async function* remaining(iterator: AsyncIterator<Uint8Array>, ended: boolean): AsyncGenerator<Uint8Array> {
  if (ended) return;
  let finished = false;
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    finished = true;
  } finally {
    if (!finished) await iterator.return?.();
  }
}
