import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { delimitedCell, delimitedLine, unguardCell } from "@/server/domain/exports/delimited-cell";

const TRICKY = [
  "=cmd|' /C calc'!A0",
  "+SUM(1+1)",
  "-2+3",
  "@SUM(1)",
  "\tTab first",
  "\rCR first",
  "'=already guarded",
  "''-two quotes",
  "'plain quote",
  "plain",
  "",
  "a=b",
  "naïve 😀",
];

describe("formula neutralization (OWASP CSV injection)", () => {
  it("prefixes a ' to cells a spreadsheet would run, and quotes as CSV needs", () => {
    expect(delimitedCell("=cmd|' /C calc'!A0", ",")).toBe("'=cmd|' /C calc'!A0");
    expect(delimitedCell("+SUM(1+1)", ",")).toBe("'+SUM(1+1)");
    expect(delimitedCell("@SUM(1)", ",")).toBe("'@SUM(1)");
    expect(delimitedCell("-5", ",")).toBe("'-5");
    expect(delimitedCell("\tx", "\t")).toBe('"\'\tx"');
    expect(delimitedCell("\rx", ",")).toBe('"\'\rx"');
    expect(delimitedCell('=HYPERLINK("http://x","y")', ",")).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(delimitedCell("'=x", ",")).toBe("''=x");
    expect(delimitedCell("a=b", ",")).toBe("a=b");
    expect(delimitedCell("'quote", ",")).toBe("'quote");
  });

  it("writes cells as they are when turned off", () => {
    expect(delimitedLine(["=1+1", "@a", "-1"], ",", false)).toBe("=1+1,@a,-1\n");
  });

  it("round-trips every text through CSV parsing and unguardCell", () => {
    for (const delimiter of [",", "\t"]) {
      const file = TRICKY.map((text) => delimitedLine([text, "x"], delimiter)).join("");
      const parsed = (
        parse(file, { delimiter, record_delimiter: ["\r\n", "\n"], relax_column_count: true }) as string[][]
      ).map((row) => unguardCell(row[0]!));
      expect(parsed).toEqual(TRICKY);
    }
  });
});
