/** Cleans one short summary from a model: list markers and quotes off, whitespace collapsed. */
export function cleanSummary(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^(?:\d+[.)]|[-*•])\s*/, "")
    .replace(/^["'“”]+|["'“”]+$/g, "")
    .trim();
}

export const MAX_SUMMARY_WORDS = 25;

/**
 * Keeps the usable summaries of an answer, in order: non-empty, at most MAX_SUMMARY_WORDS words (the prompt asks
 * for 10; longer ones are usually a full example or a refusal), no repeats and none of `exclude`.
 */
export function acceptSummaries(raw: string[], limit: number, exclude: Iterable<string> = []) {
  const seen = new Set([...exclude].map((s) => cleanSummary(s).toLowerCase()));
  const kept: string[] = [];
  const dropped: { text: string; reason: string }[] = [];
  for (const item of raw) {
    const text = cleanSummary(item);
    const key = text.toLowerCase();
    if (!text) dropped.push({ text: item, reason: "empty" });
    else if (text.split(" ").length > MAX_SUMMARY_WORDS)
      dropped.push({ text, reason: `longer than ${MAX_SUMMARY_WORDS} words` });
    else if (seen.has(key)) dropped.push({ text, reason: "repeated summary" });
    else if (kept.length >= limit) dropped.push({ text, reason: `more than the ${limit} asked for` });
    else {
      seen.add(key);
      kept.push(text);
    }
  }
  return { kept, dropped };
}
