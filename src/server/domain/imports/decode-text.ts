import { crLineEndsToLf } from "@/server/domain/imports/cr-line-ends";
import { utf16ToUtf8 } from "@/server/domain/imports/utf16-to-utf8";

/**
 * The (already decompressed) file as the readers expect it: UTF-8 bytes with LF or CRLF line ends. UTF-16 is
 * transcoded and lone-CR line ends become LF; everything else passes through byte for byte, so bad UTF-8 is still
 * reported row by row.
 */
export function decodeText(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  return crLineEndsToLf(utf16ToUtf8(source));
}
