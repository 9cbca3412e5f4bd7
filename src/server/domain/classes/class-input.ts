import { z } from "zod";

// Keys the queue keeps for itself: Enter accepts, Space skips, Z/Backspace undo, ? shows the shortcuts.
const RESERVED_HOTKEYS = new Set(["z", "?", " "]);

export const className = z
  .string()
  .trim()
  .min(1, "Class name is required")
  .max(100, "Class name is at most 100 characters")
  .refine((name) => !name.includes(":"), "Class name cannot contain ':' (the CLI uses it to separate name and prompt)");

export const hotkey = z
  .string()
  .trim()
  .toLowerCase()
  .length(1, "A hotkey is a single character")
  .refine((key) => !RESERVED_HOTKEYS.has(key), "Z, Space and ? are reserved by the queue");

export const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "Color must be a hex value like #6366f1");

const description = z.string().trim().max(10_000, "Description is at most 10,000 characters");

export const classFields = z.object({
  name: className,
  description: description.default(""),
  hotkey: hotkey.nullish(),
  color: color.optional(),
});

export const createClassInput = classFields.extend({ projectId: z.number().int().positive() });
export type CreateClassInput = z.input<typeof createClassInput>;

// No defaults here: zod applies a default even inside .partial(), which would blank the description of a class
// whose hotkey alone is being changed.
export const updateClassInput = classFields
  .extend({ description })
  .partial()
  .extend({ id: z.number().int().positive() });
export type UpdateClassInput = z.input<typeof updateClassInput>;

/** Distinct, readable colors for the first classes of a project. */
export const PALETTE = [
  "#6366f1",
  "#f59e0b",
  "#10b981",
  "#ef4444",
  "#0ea5e9",
  "#a855f7",
  "#84cc16",
  "#ec4899",
  "#14b8a6",
  "#f97316",
];
