import { z } from "zod";

export const MAX_CLASSIFY_TEXT_CHARS = 100_000;

/**
 * One text to classify, checked the same way wherever texts come in to be classified (HTTP API, tRPC
 * models.classify): not empty or whitespace only, at most MAX_CLASSIFY_TEXT_CHARS characters. The text is kept as
 * given — not trimmed — so every path classifies and echoes the same string.
 */
export const classifyText = z
  .string()
  .max(MAX_CLASSIFY_TEXT_CHARS, `each text has at most ${MAX_CLASSIFY_TEXT_CHARS.toLocaleString("en")} characters`)
  .refine((text) => text.trim() !== "", "a text is empty or only whitespace");
