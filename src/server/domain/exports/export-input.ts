import { z } from "zod";

export const exportFormats = [
  "lamini",
  "emissary-jsonl",
  "emissary-csv",
  "csv",
  "tsv",
  "jsonl",
  "hf-jsonl",
  "text",
] as const;
export const exportFormat = z.enum(exportFormats);
export type ExportFormat = z.infer<typeof exportFormat>;

export const annotationOrigins = ["human", "generated", "imported", "model_accepted"] as const;

export const exportInput = z.object({
  projectId: z.number().int().positive(),
  format: exportFormat,
  /** Whose labels count: "human only" is ["human"]; generated and model-accepted labels are opt-out. */
  origins: z
    .array(z.enum(annotationOrigins))
    .min(1)
    .default([...annotationOrigins]),
  /** Also export unlabeled items (formats that cannot express "no label" — Lamini, Emissary — ignore this). */
  includeUnlabeled: z.boolean().default(false),
  splits: z
    .array(z.enum(["unassigned", "train", "test"]))
    .min(1)
    .optional(),
  /** Items labeled with at least one of these classes. */
  classIds: z.array(z.number().int().positive()).min(1).optional(),
  labeledFrom: z.coerce.date().optional(),
  labeledTo: z.coerce.date().optional(),
  /**
   * Share of the item's effective human annotations that agree with its current label (0–1). Items without any
   * human annotation have no agreement and are left out when this is set.
   */
  minAgreement: z.number().min(0).max(1).optional(),
  /**
   * CSV/TSV cells starting with =, +, -, @, tab or carriage return get a leading ' so that spreadsheets do not run
   * them as formulas (Margin's importer removes it again). Off: the cells as they are, for programs.
   */
  neutralizeFormulas: z.boolean().default(true),
});
export type ExportInput = z.input<typeof exportInput>;
export type ResolvedExportInput = z.output<typeof exportInput>;

/** The same filters from a URL query string (`?format=csv&origins=human,imported&splits=train&classIds=1,2`). */
export function exportInputFromQuery(projectId: number, params: URLSearchParams): ResolvedExportInput {
  const list = (name: string) =>
    params
      .get(name)
      ?.split(",")
      .map((v) => v.trim())
      .filter(Boolean);
  const number = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);
  return exportInput.parse({
    projectId,
    format: params.get("format") ?? undefined,
    origins: list("origins"),
    includeUnlabeled: params.get("includeUnlabeled") === "true" || params.get("includeUnlabeled") === "1",
    splits: list("splits"),
    classIds: list("classIds")?.map(Number),
    labeledFrom: params.get("labeledFrom") ?? undefined,
    labeledTo: params.get("labeledTo") ?? undefined,
    minAgreement: number("minAgreement"),
    neutralizeFormulas: !(params.get("neutralizeFormulas") === "false" || params.get("neutralizeFormulas") === "0"),
  });
}

export const exportFileTypes: Record<ExportFormat, { extension: string; contentType: string }> = {
  lamini: { extension: "jsonl", contentType: "application/x-ndjson; charset=utf-8" },
  "emissary-jsonl": { extension: "jsonl", contentType: "application/x-ndjson; charset=utf-8" },
  "emissary-csv": { extension: "csv", contentType: "text/csv; charset=utf-8" },
  csv: { extension: "csv", contentType: "text/csv; charset=utf-8" },
  tsv: { extension: "tsv", contentType: "text/tab-separated-values; charset=utf-8" },
  jsonl: { extension: "jsonl", contentType: "application/x-ndjson; charset=utf-8" },
  "hf-jsonl": { extension: "jsonl", contentType: "application/x-ndjson; charset=utf-8" },
  text: { extension: "txt", contentType: "text/plain; charset=utf-8" },
};
