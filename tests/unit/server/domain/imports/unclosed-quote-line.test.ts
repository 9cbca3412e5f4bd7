import { describe, expect, it } from "vitest";
import { readImportRows } from "@/server/domain/imports/read-import-rows";

async function errorsOf(text: string, chunkSize: number) {
  const bytes = Buffer.from(text);
  async function* source() {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }
  const errors: { line: number; column: string | null; message: string }[] = [];
  const rows = readImportRows(source(), {
    format: "csv",
    hasHeader: true,
    maxTextLength: 1000,
    otherBinaryClass: () => ({ error: "unused" }),
  });
  for await (const row of rows)
    if (!row.ok) errors.push({ line: row.error.line, column: row.error.column, message: row.error.message });
  return errors;
}

// csv-parse reports an unclosed quote at the last line of the file; the import names the line where it opened.
describe("an unclosed quote is reported on the line where it opened", () => {
  const cases: [string, string, number, string][] = [
    ["first field", 'text,label\nfirst,a\n"second,b\nthird,a\nfourth,b\n', 3, 'the first field ("text")'],
    ["a later field", 'text,label\nfirst,a\nsecond,"b\nthird,a\nfourth,b\n', 3, 'field 2 ("label")'],
    ["after blank lines", 'text,label\nfirst,a\n\n\n"second,b\nthird,a\n', 5, 'the first field ("text")'],
    ["after a byte-order mark", '\ufefftext,label\nfirst,a\n"second,b\nthird,a\n', 3, 'the first field ("text")'],
    ["with Windows line ends", 'text,label\r\nfirst,a\r\n"second,b\r\nthird,a\r\n', 3, 'the first field ("text")'],
    ["after a quoted field over two lines", 'text,label\n"two\nlines",a\n"x\ny","b\nthird,a\n', 5, 'field 2 ("label")'],
  ];
  for (const [name, text, line, field] of cases) {
    it(name, async () => {
      // One byte at a time and all at once: the line does not depend on how the stream is cut.
      for (const chunkSize of [1, 7, 1 << 20]) {
        expect(await errorsOf(text, chunkSize)).toEqual([
          {
            line,
            column: field.match(/"(.*)"/)![1],
            message: `The quote that opens ${field} on line ${line} is never closed, so the rest of the file was read as one field: close it (a quote inside a quoted field is written "")`,
          },
        ]);
      }
    });
  }

  it("deep in a long file, where the line checker has forgotten the early lines' offsets", async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `row number ${i},a`);
    const text = `text,label\n${rows.join("\n")}\n"never closed,b\nlast,a\n`;
    for (const chunkSize of [4096, 1 << 16])
      expect((await errorsOf(text, chunkSize)).map((e) => e.line)).toEqual([30_002]);
  });
});
