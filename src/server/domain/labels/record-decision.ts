import type PgBoss from "pg-boss";
import type { Annotation, TaskType } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { checkDecisionClasses } from "@/server/domain/labels/check-decision-classes";
import { refreshItemLabel } from "@/server/domain/labels/effective-label";
import { historyTailId } from "@/server/domain/labels/history-tail";
import { labelStatsDelaySeconds } from "@/server/domain/stats/label-stats-delay";
import { queueStatsRefresh } from "@/server/domain/stats/queue-stats-refresh";
import { maybeQueueRetrain } from "@/server/domain/training/maybe-queue-retrain";

/** A person labels or skips items: one new annotation per item, superseding the item's history tail. */
export interface AnnotateDecision {
  kind: "annotate";
  boss: PgBoss;
  userId: string;
  project: { id: number; taskType: TaskType; classes: { id: number }[] };
  /** Already locked by the caller, in the order it locked them (labels/lock-item.ts, or id order for several). */
  itemIds: number[];
  /** The same for every item. `classIds` are checked against the project unless the decision is a skip. */
  annotation: {
    classIds: number[];
    skipped?: boolean;
    skipReason?: string | null;
    comment?: string | null;
    modelVersionId: number | null;
    acceptedPrediction?: boolean;
    durationMs?: number;
    guidelineRevision?: number;
  };
  /** "submit": one entry per item (label.create, or label.correct over an earlier decision); "bulk": one for all. */
  audit: { kind: "submit"; action: "label" | "accept" | "skip" } | { kind: "bulk" };
}

/** A person takes back their latest annotation (never deleted: marked undone); the item returns to their queue. */
export interface UndoDecision {
  kind: "undo";
  userId: string;
  projectId: number;
  /** Locked by the caller and checked to be the item's newest live annotation. */
  annotation: Annotation;
  leaseSeconds: number;
}

export type Decision = AnnotateDecision | UndoDecision;

const releasedLease = { leasedById: null, leaseExpiresAt: null, leaseReason: null };

/**
 * The one write path for a person's decision, inside the caller's transaction (which holds the items' label locks):
 * class check, supersede, the item's effective label, its lease, the audit entry, and — for a label, not a skip or
 * an undo — the retrain check, then the debounced statistics refresh. An undo queues neither: the Overview's
 * fingerprint notices it (stats/ensure-fresh-stats.ts), and a withdrawn label never brings a retrain closer.
 */
export async function recordDecision(
  tx: Tx,
  decision: AnnotateDecision,
): Promise<{ annotations: Annotation[]; changed: number; retrainQueued: boolean }>;
export async function recordDecision(
  tx: Tx,
  decision: UndoDecision,
): Promise<Awaited<ReturnType<typeof refreshItemLabel>>>;
export async function recordDecision(tx: Tx, decision: Decision) {
  return decision.kind === "undo" ? undo(tx, decision) : annotate(tx, decision);
}

async function annotate(tx: Tx, decision: AnnotateDecision) {
  const { project, userId, annotation: fields } = decision;
  const skipped = fields.skipped === true;
  if (!skipped) checkDecisionClasses(project, fields.classIds);

  const annotations: Annotation[] = [];
  const previous: (Annotation | null)[] = [];
  for (const itemId of decision.itemIds) {
    // The live decision it replaces, for the audit entry and the count of labels that changed.
    previous.push(
      await tx.annotation.findFirst({
        where: { itemId, undoneAt: null },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      }),
    );
    annotations.push(
      await tx.annotation.create({
        data: {
          projectId: project.id,
          itemId,
          classIds: fields.classIds,
          skipped,
          skipReason: fields.skipReason ?? null,
          comment: fields.comment ?? null,
          origin: "human",
          userId,
          modelVersionId: fields.modelVersionId,
          acceptedPrediction: fields.acceptedPrediction ?? false,
          durationMs: fields.durationMs,
          guidelineRevision: fields.guidelineRevision,
          supersedesId: await historyTailId(tx, itemId),
        },
      }),
    );
    await refreshItemLabel(tx, itemId);
  }
  // By item, not by holder: a lease whose annotator was deleted keeps its expiry (leased_by_id is set null), and
  // queue/lease-free-sql.ts reads the expiry.
  await tx.item.updateMany({ where: { id: { in: decision.itemIds } }, data: releasedLease });
  const changed = previous.filter((p) => !p || p.skipped || !sameClasses(p.classIds, fields.classIds)).length;

  if (decision.audit.kind === "bulk") {
    await recordAudit(tx, {
      projectId: project.id,
      userId,
      action: "label.bulk",
      entityType: "project",
      entityId: project.id,
      data: {
        itemIds: decision.itemIds,
        classIds: fields.classIds,
        annotationIds: annotations.map((a) => a.id),
        changed,
      },
    });
  } else {
    for (const [k, annotation] of annotations.entries()) {
      const before = previous[k];
      await recordAudit(tx, {
        projectId: project.id,
        userId,
        action: before ? "label.correct" : "label.create",
        entityType: "item",
        entityId: annotation.itemId,
        data: {
          annotationId: annotation.id,
          action: decision.audit.action,
          classIds: fields.classIds,
          previousClassIds: before?.classIds ?? null,
        },
      });
    }
  }
  const retrain = skipped ? null : await maybeQueueRetrain(tx, decision.boss, project.id, userId);
  await queueStatsRefresh(tx, decision.boss, project.id, {
    startAfterSeconds: (t) => labelStatsDelaySeconds(t, project.id),
  });
  return { annotations, changed, retrainQueued: retrain !== null };
}

async function undo(tx: Tx, decision: UndoDecision) {
  const { annotation, userId, projectId } = decision;
  await tx.annotation.update({ where: { id: annotation.id }, data: { undoneAt: new Date() } });
  const item = await refreshItemLabel(tx, annotation.itemId);
  // Leased back to its annotator (reason "undo"), so the queue shows it to them next (queue/next-item.ts).
  await tx.item.update({
    where: { id: annotation.itemId },
    data: {
      leasedById: userId,
      leaseExpiresAt: new Date(Date.now() + decision.leaseSeconds * 1000),
      leaseReason: "undo",
    },
  });
  await recordAudit(tx, {
    projectId,
    userId,
    action: "label.undo",
    entityType: "item",
    entityId: annotation.itemId,
    data: { annotationId: annotation.id, classIds: annotation.classIds },
  });
  return item;
}

function sameClasses(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}
