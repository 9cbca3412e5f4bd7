import { z } from "zod";
import { importOptions } from "@/server/schemas/import-options";

/** Files sent inline through tRPC (the wizard's small files, tests); larger files go through the upload route. */
export const MAX_INLINE_CHARS = 10 * 1024 * 1024;

const fileSource = z
  .object({
    projectId: z.number().int().positive(),
    /** The file's text, for moderate sizes. */
    content: z.string().max(MAX_INLINE_CHARS, "Files over 10 MB go through the upload route").optional(),
    /** A file stored by POST /api/projects/{id}/imports/upload. */
    uploadId: z.uuid().optional(),
    fileName: z.string().max(500).optional(),
  })
  .refine((v) => (v.content === undefined) !== (v.uploadId === undefined), "Send either content or uploadId");

/** Options may be partial in a preview: the format is detected when missing. */
export const previewImportInput = fileSource.and(z.object({ options: importOptions.partial().optional() }));
export type PreviewImportInput = z.input<typeof previewImportInput>;

export const startImportInput = fileSource.and(z.object({ options: importOptions }));
export type StartImportInput = z.input<typeof startImportInput>;
