const SNIFF_BYTES = 64 * 1024;
const CR = 0x0d;
const LF = 0x0a;

/**
 * A file whose lines end in a lone CR (classic Mac OS, some old exporters) with LF line ends instead, while it
 * streams; other files pass through untouched. Decided on the first 64 KiB: CRs and not one LF. Otherwise the whole
 * file would be one line, and its header would swallow every row.
 */
export async function* crLineEndsToLf(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let sawLf = false;
  let done = false;
  while (headBytes < SNIFF_BYTES && !sawLf) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    head.push(chunk);
    headBytes += chunk.length;
    sawLf = chunk.includes(LF);
  }
  const crOnly = !sawLf && head.some((chunk) => chunk.includes(CR));
  const convert = (chunk: Uint8Array): Uint8Array => {
    if (!crOnly || !chunk.includes(CR)) return chunk;
    const copy = Buffer.from(chunk);
    for (let i = copy.indexOf(CR); i !== -1; i = copy.indexOf(CR, i + 1)) copy[i] = LF;
    return copy;
  };
  for (const chunk of head) yield convert(chunk);
  if (done) return;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield convert(next.value);
}
