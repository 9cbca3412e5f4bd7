import { z } from "zod";

export const MAX_TEXT_CHARS = 100_000;
/** Bodies above this are refused before parsing (413): enough for the batch limit of long texts. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export const classifyBody = z.object({
  texts: z.array(z.string().min(1, "texts must not contain empty strings").max(MAX_TEXT_CHARS, `each text has at most ${MAX_TEXT_CHARS} characters`)).min(1, "send at least one text"),
  /** A model version number (v3 → 3); default: the project's active version. */
  version: z.number().int().positive().optional(),
});
