import { Prisma, type Annotation } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";
import { lockItemForLabel } from "@/server/domain/labels/lock-item";

/**
 * The annotation that stands for an item, from its history (newest first, undone ones removed) — the one rule the
 * item's label columns, the queue, exports and training all follow. An admin's adjudication wins outright; then human
 * decisions: each annotator's latest
 * human decision is one vote (an annotator whose latest decision is a skip does not vote), the majority wins and a
 * tie goes to the newest vote, which with one annotator is simply their latest label. Without a human vote, the
 * latest generated, imported or accepted label stands; with none at all, the latest skip.
 */
export function effectiveAnnotation(history: Annotation[]): Annotation | undefined {
  // An admin's ruling on disagreeing votes is the label, whatever the votes say (the newest ruling, if several).
  const ruling = history.find((a) => a.adjudicated);
  if (ruling) return ruling;
  const seen = new Set<string>();
  const votes: Annotation[] = [];
  for (const a of history) {
    if (a.origin !== "human") continue;
    const voter = a.userId ?? `annotation ${a.id}`;
    if (seen.has(voter)) continue;
    seen.add(voter);
    if (!a.skipped) votes.push(a);
  }
  if (votes.length === 0) return history.find((a) => !a.skipped && a.origin !== "human") ?? history[0];
  if (votes.length === 1) return votes[0];
  const tally = new Map<string, { count: number; newest: Annotation }>();
  for (const vote of votes) {
    const key = [...vote.classIds].sort((x, y) => x - y).join(",");
    const entry = tally.get(key);
    // `votes` is in newest-first order, so the first vote seen for a class set is its newest.
    if (entry) entry.count++;
    else tally.set(key, { count: 1, newest: vote });
  }
  let best: { count: number; newest: Annotation } | undefined;
  for (const entry of tally.values()) {
    if (!best || entry.count > best.count || (entry.count === best.count && isNewer(entry.newest, best.newest)))
      best = entry;
  }
  return best?.newest ?? votes[0];
}

function isNewer(a: Annotation, b: Annotation) {
  return a.createdAt.getTime() !== b.createdAt.getTime() ? a.createdAt > b.createdAt : a.id > b.id;
}

/**
 * The origin an item's label shows: an annotator's vote that accepted the model's prediction is a human decision
 * (it votes like any other) but is reported as `model_accepted`, so exports can leave out labels a person only
 * confirmed.
 */
export function labelOriginOf(annotation: Pick<Annotation, "origin" | "acceptedPrediction">): Annotation["origin"] {
  return annotation.origin === "human" && annotation.acceptedPrediction ? "model_accepted" : annotation.origin;
}

// The label origins of a person's decision: their own class, or the model's prediction they accepted.
const HUMAN_DECISION_ORIGINS: readonly Annotation["origin"][] = ["human", "model_accepted"];

/** Whether a label origin is a person's decision. */
export function isHumanDecision(origin: Annotation["origin"]): boolean {
  return HUMAN_DECISION_ORIGINS.includes(origin);
}

/** The same origins as an SQL list, for `label_origin IN …` (literals: the column is an enum). */
export const humanDecisionOriginsSql = Prisma.raw(`(${HUMAN_DECISION_ORIGINS.map((o) => `'${o}'`).join(", ")})`);

/**
 * Re-derives an item's label fields from its annotation history (see `effectiveAnnotation`). Called in the same
 * transaction as every annotation write or undo; takes the item's label lock (labels/lock-item.ts) if the caller
 * has not, so that the history read includes every committed concurrent vote.
 */
export async function refreshItemLabel(tx: Tx, itemId: number) {
  await lockItemForLabel(tx, itemId);
  const history = await tx.annotation.findMany({
    where: { itemId, undoneAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const chosen = effectiveAnnotation(history);
  return tx.item.update({
    where: { id: itemId },
    data: chosen
      ? {
          labelStatus: chosen.skipped ? "skipped" : "labeled",
          labelClassIds: chosen.skipped ? [] : chosen.classIds,
          labelOrigin: labelOriginOf(chosen),
          labeledAt: chosen.createdAt,
        }
      : { labelStatus: "unlabeled", labelClassIds: [], labelOrigin: null, labeledAt: null },
  });
}
