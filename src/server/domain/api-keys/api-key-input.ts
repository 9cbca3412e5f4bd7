import { createHash } from "node:crypto";
import { z } from "zod";

export const createApiKeyInput = z.object({
  projectId: z.number().int().positive(),
  name: z.string().trim().min(1, "Name the key (e.g. the program that uses it)").max(100),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

/** Keys are stored as sha256 hex: the database alone cannot reveal a usable key. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export const API_KEY_PREFIX = "mgn_";
/** Characters of the key kept in clear, so that admins can tell keys apart. */
export const SHOWN_PREFIX_LENGTH = 12;
