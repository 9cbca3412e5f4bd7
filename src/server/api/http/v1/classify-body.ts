import { z } from "zod";
import { classifyText, MAX_CLASSIFY_TEXT_CHARS } from "@/server/domain/classify/classify-text";

export const MAX_TEXT_CHARS = MAX_CLASSIFY_TEXT_CHARS;
/** Bodies above this are refused before parsing (413): enough for the batch limit of long texts. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export const classifyBody = z.object({
  texts: z.array(classifyText).min(1, "send at least one text"),
  /** A model version number (v3 → 3); default: the project's active version. */
  version: z.number().int().positive().optional(),
});
