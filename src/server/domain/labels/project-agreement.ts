import { z } from "zod";
import type { DbOrTx } from "@/server/db";
import { krippendorffAlphaNominal } from "@/ml/krippendorff-alpha";
import { latestHumanDecisionsSql } from "@/server/domain/labels/human-votes-sql";

export const projectAgreementInput = z.object({ projectId: z.number().int().positive() });

/**
 * Inter-annotator agreement over the items that at least two annotators labeled: each annotator's latest human
 * decision (skips left out) is one value, a multi-label decision counts as one category (its exact class set), and
 * Krippendorff's alpha corrects the observed agreement for chance.
 */
export async function projectAgreement(db: DbOrTx, input: z.input<typeof projectAgreementInput>) {
  const { projectId } = projectAgreementInput.parse(input);
  const rows = await db.$queryRaw<{ item_id: number; decisions: string[] }[]>`
    WITH latest AS (${latestHumanDecisionsSql(projectId)})
    SELECT item_id, array_agg(array_to_string(ARRAY(SELECT unnest(class_ids) ORDER BY 1), ',')) AS decisions
    FROM latest WHERE NOT skipped
    GROUP BY item_id HAVING count(*) >= 2`;
  const codes = new Map<string, number>();
  const units = rows.map((r) => r.decisions.map((d) => codes.get(d) ?? (codes.set(d, codes.size), codes.size - 1)));
  const unanimous = units.filter((u) => u.every((v) => v === u[0])).length;
  const { alpha, observedAgreement, pairableValues } = krippendorffAlphaNominal(units);
  return {
    items: units.length,
    labels: pairableValues,
    unanimousItems: unanimous,
    alpha: Number.isNaN(alpha) ? null : alpha,
    observedAgreement: Number.isNaN(observedAgreement) ? null : observedAgreement,
  };
}
