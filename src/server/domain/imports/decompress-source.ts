import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { decodeText } from "@/server/domain/imports/decode-text";
import { ImportFileError } from "@/server/domain/imports/import-format";
import { readStreamHead } from "@/server/domain/imports/read-stream-head";

// Magic bytes of compressed or archive files that Margin does not unpack (gzip is decompressed as it streams), and of
// documents that are not text at all (a spreadsheet, an image), which would otherwise be read as rows of garbage.
const REFUSED: { name: string; magic: number[]; document?: true }[] = [
  // An .xlsx/.docx is a ZIP whose first entry (its name at byte 30 of the local file header) is [Content_Types].xml.
  {
    name: "an Excel workbook (.xlsx) or another Office Open XML document",
    magic: zipFirstEntry("[Content_Types].xml"),
    document: true,
  },
  { name: "a ZIP archive (an Excel .xlsx workbook is one)", magic: [0x50, 0x4b, 0x03, 0x04] },
  { name: "a ZIP archive (an Excel .xlsx workbook is one)", magic: [0x50, 0x4b, 0x05, 0x06] },
  { name: "bzip2-compressed", magic: [0x42, 0x5a, 0x68] },
  { name: "xz-compressed", magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: "zstd-compressed", magic: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: "a 7-Zip archive", magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: "a RAR archive", magic: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { name: "LZ4-compressed", magic: [0x04, 0x22, 0x4d, 0x18] },
  {
    name: "an Excel 97–2003 workbook (.xls) or another OLE2 Office document",
    magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    document: true,
  },
  { name: "a PDF document", magic: [0x25, 0x50, 0x44, 0x46, 0x2d], document: true },
  { name: "a PNG image", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], document: true },
  { name: "a JPEG image", magic: [0xff, 0xd8, 0xff], document: true },
  { name: "a GIF image", magic: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], document: true },
  { name: "a GIF image", magic: [0x47, 0x49, 0x46, 0x38, 0x37, 0x61], document: true },
];
const GZIP = [0x1f, 0x8b];
const MAGIC_BYTES = 64;

/** A ZIP's local file header (PK 3 4) whose entry is `name`: bytes 4–25 and 28–29 vary (-1 matches any byte). */
function zipFirstEntry(name: string): number[] {
  const any = (n: number) => Array.from({ length: n }, () => -1);
  return [
    0x50,
    0x4b,
    0x03,
    0x04,
    ...any(22),
    name.length & 0xff,
    name.length >> 8,
    ...any(2),
    ...Buffer.from(name, "latin1"),
  ];
}

const startsWith = (head: Uint8Array, magic: number[]) =>
  head.length >= magic.length && magic.every((byte, i) => byte === -1 || head[i] === byte);

/** "gzip", a refused format's description, or undefined for an uncompressed file — from its first bytes. */
export function compressionOf(head: Uint8Array): { gzip: true } | { refused: string } | undefined {
  if (startsWith(head, GZIP)) return { gzip: true };
  const refused = REFUSED.find((r) => startsWith(head, r.magic));
  return refused ? { refused: refused.name } : undefined;
}

export function refusedMessage(name: string): string {
  if (REFUSED.find((r) => r.name === name)?.document) {
    return `The file is ${name}, not text: Margin reads CSV, TSV, JSON lines and plain text (UTF-8 or UTF-16, optionally gzip). Save or export it as CSV or JSON lines first.`;
  }
  return `The file is ${name}: Margin reads plain UTF-8 files and gzip (.gz). Unpack it first, or compress it with gzip.`;
}

/**
 * The file's bytes, decompressed while they stream when the file is gzip (node:zlib, constant memory); a file in
 * another compressed or archive format throws ImportFileError with a message that says so.
 */
export async function* decompressSource(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const { head, rest } = await readStreamHead(source, MAGIC_BYTES);
  const whole = async function* () {
    if (head.length) yield head;
    yield* rest;
  };
  const kind = compressionOf(head);
  if (!kind) return yield* whole();
  if ("refused" in kind) throw new ImportFileError(refusedMessage(kind.refused));
  const gunzip = createGunzip();
  // A failure of the source (a database read) destroys gunzip with that error, which the loop below rethrows.
  pipeline(Readable.from(whole(), { objectMode: false }), gunzip, () => undefined);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    if (!String((error as { code?: unknown }).code ?? "").startsWith("Z_")) throw error;
    throw new ImportFileError(`The gzip file is damaged or truncated (${(error as Error).message})`);
  } finally {
    gunzip.destroy();
  }
}

/** The first `bytes` bytes of the file as the import reads it (decompressed, UTF-16 and lone-CR line ends decoded), for format detection; a damaged gzip tail is ignored here. */
export async function decompressedSample(source: AsyncIterable<Uint8Array>, bytes = 64 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of decodeText(decompressSource(source))) {
      parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      total += chunk.byteLength;
      if (total >= bytes) break;
    }
  } catch (error) {
    if (!(error instanceof ImportFileError) || !error.message.startsWith("The gzip file")) throw error;
  }
  return Buffer.concat(parts).subarray(0, bytes);
}
