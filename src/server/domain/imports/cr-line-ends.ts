import { readStreamHead } from "@/server/domain/imports/read-stream-head";

const SNIFF_BYTES = 64 * 1024;
const CR = 0x0d;
const LF = 0x0a;

/**
 * A file whose lines end in a lone CR (classic Mac OS, some old exporters) with LF line ends instead, while it
 * streams; other files pass through untouched. Decided on the first 64 KiB: CRs and not one LF. Otherwise the whole
 * file would be one line, and its header would swallow every row.
 */
export async function* crLineEndsToLf(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const { head, rest } = await readStreamHead(source, SNIFF_BYTES, (chunk) => chunk.includes(LF));
  const crOnly = !head.includes(LF) && head.includes(CR);
  const convert = (chunk: Uint8Array): Uint8Array => {
    if (!crOnly || !chunk.includes(CR)) return chunk;
    const copy = Buffer.from(chunk);
    for (let i = copy.indexOf(CR); i !== -1; i = copy.indexOf(CR, i + 1)) copy[i] = LF;
    return copy;
  };
  if (head.length) yield convert(head);
  for await (const chunk of rest) yield convert(chunk);
}
