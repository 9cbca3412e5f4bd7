import { z } from "zod";
import type { DbOrTx } from "@/server/db";
import { zeroShotPredict } from "@/server/domain/llm/zero-shot-predict";

export const zeroShotClassifyInput = z.object({
  projectId: z.number().int().positive(),
  modelVersionId: z.number().int().positive().optional(),
  texts: z
    .array(z.string().trim().min(1, "Texts cannot be empty").max(20_000))
    .min(1, "Give at least one text")
    .max(100, "At most 100 texts per call"),
});

/** Zero-shot labels for free texts (playground / pre-labeling preview): probabilities per class by name. */
export async function zeroShotClassifyTexts(db: DbOrTx, input: z.input<typeof zeroShotClassifyInput>) {
  const { projectId, modelVersionId, texts } = zeroShotClassifyInput.parse(input);
  const { probabilities, classIds } = await zeroShotPredict(db, projectId, texts, { modelVersionId });
  const names = new Map(
    (await db.labelClass.findMany({ where: { id: { in: classIds } }, select: { id: true, name: true } })).map((c) => [
      c.id,
      c.name,
    ]),
  );
  const K = classIds.length;
  return texts.map((text, i) => {
    const row = Array.from(probabilities.subarray(i * K, (i + 1) * K));
    const best = row.indexOf(Math.max(...row));
    return {
      text,
      prediction: names.get(classIds[best]!) ?? String(classIds[best]),
      probabilities: Object.fromEntries(classIds.map((id, k) => [names.get(id) ?? String(id), row[k]!])),
    };
  });
}
