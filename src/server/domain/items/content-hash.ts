import { createHash } from "node:crypto";

/** Whitespace-insensitive identity of a text: duplicate detection within a project and the embedding cache key. */
export function normalizeText(text: string): string {
  return text.normalize("NFC").replace(/\s+/g, " ").trim();
}

export function contentHash(text: string): string {
  return createHash("sha256").update(normalizeText(text)).digest("hex");
}
