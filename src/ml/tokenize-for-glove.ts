/**
 * Tokenizer matching GloVe-6B's vocabulary (lower-cased, Stanford/PTB-style): punctuation is split off,
 * clitics become their own tokens ("don't" → "do", "n't"; "it's" → "it", "'s"), hyphenated and dotted words
 * stay whole ("e-mail", "u.s.") so the encoder can look them up before falling back to their parts.
 * Common HTML entity debris in scraped news ("#39;", "&amp;") is repaired first.
 */
const ENTITIES: [RegExp, string][] = [
  [/&?#39;/g, "'"],
  [/&?#36;/g, "$"],
  [/&quot;|&?#34;/g, '"'],
  [/&amp;/g, "&"],
  [/&lt;/g, "<"],
  [/&gt;/g, ">"],
  [/&?#151;|&?#150;/g, " - "],
  [/\\+/g, " "],
  [/[\u2018\u2019\u02bc]/g, "'"],
  [/[\u201c\u201d]/g, '"'],
];
const CLITIC = /([\p{L}\p{N}])(n't|'s|'re|'ve|'ll|'m|'d)(?![\p{L}\p{N}])/gu;
const TOKEN = /n't|'(?:s|re|ve|ll|m|d)(?![\p{L}\p{N}])|[\p{L}\p{N}]+(?:[-.'&][\p{L}\p{N}]+)*\.?|[^\s\p{L}\p{N}]/gu;

export function tokenizeForGlove(text: string): string[] {
  let t = text;
  for (const [re, rep] of ENTITIES) t = t.replace(re, rep);
  t = t.toLowerCase().replace(CLITIC, "$1 $2");
  const tokens = t.match(TOKEN) ?? [];
  // A trailing "." is kept only when the word has inner dots ("u.s."); otherwise it is sentence punctuation.
  const out: string[] = [];
  for (const tok of tokens) {
    if (tok.length > 1 && tok.endsWith(".") && !tok.slice(0, -1).includes(".")) {
      out.push(tok.slice(0, -1), ".");
    } else out.push(tok);
  }
  return out;
}
