import { randomInt } from "node:crypto";
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import { humanDecisionOriginsSql } from "@/server/domain/labels/effective-label";
import { testTarget } from "@/server/domain/evaluation/test-set";
import { annotateItemSelect } from "@/server/domain/queue/annotate-item-select";
import { leaseFreeSql } from "@/server/domain/queue/lease-free-sql";
import { remainingCount } from "@/server/domain/queue/remaining-count";
import { decodeProbabilities } from "@/server/domain/scoring/probability-bytes";
import { rankingVersion } from "@/server/domain/scoring/ranking-version";
import { AppError } from "@/server/errors";

export const nextItemInput = z.object({
  projectId: z.number().int().positive(),
  /** Items the client already holds (prefetch) and must not receive again. */
  exclude: z.array(z.number().int().positive()).max(10).default([]),
  /** "learn": the active-learning queue. "review-generated": LLM-generated examples no person has checked yet. */
  mode: z.enum(["learn", "review-generated"]).default("learn"),
});

export type QueueReason = "uncertain" | "mislabeled" | "random" | "overlap" | "undo" | "resume" | "review";

// A generated example whose label no person has confirmed or corrected: its label still comes from the LLM.
const GENERATED_UNREVIEWED = Prisma.sql`source = 'generated' AND label_status = 'labeled' AND label_origin = 'generated'`;

// Above this a human label disagrees strongly enough with the model to deserve a second look.
const MISLABEL_THRESHOLD = 0.2;
// An annotator's "current session" for second looks: since their newest live sign-in, at most this long ago.
const SESSION_HOURS = 12;

/**
 * Hands the annotator the most informative item nobody else holds: mostly the active version's highest-priority
 * unlabeled item, mixed with a share of likely-mislabeled human labels and of random items (random picks come from
 * the frozen test split first, which must be labeled without the model's bias). The lease lives on the item row
 * and the pick uses FOR UPDATE SKIP LOCKED, so concurrent annotators never receive the same item; an expired lease
 * returns the item to the pool.
 */
export async function nextItem(db: Db, input: z.input<typeof nextItemInput>, userId: string) {
  const { projectId, exclude, mode } = nextItemInput.parse(input);
  const picked = await db.$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { id: projectId } });
    if (!project) throw new AppError("NOT_FOUND", `Project ${projectId} does not exist`);
    // The active version's ranking, or while a new one is still loading, the last attached one.
    const versionId = (await rankingVersion(tx, projectId, project.activeModelVersionId))?.id ?? null;
    const excluded = exclude.length ? exclude : [0];

    // A page reload or an undo gives back the item the annotator already holds — in the queue it belongs to. An
    // undone item comes first: a prefetch leased just after the undo must not take its place.
    const sameQueue =
      mode === "review-generated"
        ? Prisma.sql`AND ${GENERATED_UNREVIEWED}`
        : Prisma.sql`AND lease_reason IS DISTINCT FROM 'review'`;
    const held = await tx.$queryRaw<{ id: number; lease_reason: string | null }[]>`
      SELECT id, lease_reason FROM item
      WHERE project_id = ${projectId} AND leased_by_id = ${userId} AND lease_expires_at > now() AND id <> ALL(${excluded}) ${sameQueue}
      ORDER BY (lease_reason IS NOT DISTINCT FROM 'undo') DESC, lease_expires_at DESC LIMIT 1`;
    let picked: { id: number; reason: QueueReason } | undefined = held[0]
      ? {
          id: held[0].id,
          reason: held[0].lease_reason === "undo" ? "undo" : held[0].lease_reason === "overlap" ? "overlap" : "resume",
        }
      : undefined;

    if (!picked && mode === "review-generated") {
      const id = await pickGeneratedToReview(tx, projectId, excluded);
      if (id !== undefined) picked = { id, reason: "review" };
    } else if (!picked) {
      const roll = Math.random();
      // Until the test set has its labeled target, the random share (test items first) is the higher boost share.
      const randomShare = (await testSetShort(tx, projectId, project.testTargetItems))
        ? Math.max(project.queueRandomShare, project.testBoostShare)
        : project.queueRandomShare;
      const order: QueueReason[] =
        roll < project.queueMislabeledShare
          ? ["mislabeled", "uncertain", "random"]
          : roll < project.queueMislabeledShare + randomShare
            ? ["random", "uncertain"]
            : ["uncertain", "random"];
      // With overlap, items other annotators labeled but that still lack votes come first: agreement is measured
      // on items whose labels are fresh, and the majority label settles sooner.
      if (project.annotationOverlap > 1) order.unshift("overlap");
      for (const reason of order) {
        const id =
          reason === "overlap"
            ? await pickOverlap(tx, projectId, project.annotationOverlap, userId, excluded)
            : await pick(tx, reason, projectId, versionId, excluded, {
                userId,
                secondLookMinF1: project.secondLookMinF1,
              });
        if (id !== undefined) {
          picked = { id, reason: reason === "uncertain" && !versionId ? "random" : reason };
          break;
        }
      }
    }
    if (!picked) return null;

    const item = await tx.item.update({
      where: { id: picked.id },
      data: {
        leasedById: userId,
        leaseExpiresAt: new Date(Date.now() + project.leaseSeconds * 1000),
        leaseReason: picked.reason,
      },
      select: annotateItemSelect,
    });
    // Only the class order of the version's params: they also hold up to 2,000 mislabel flags, parsed on every call.
    const [prediction] = versionId
      ? await tx.$queryRaw<
          {
            model_version_id: number;
            number: number;
            class_ids: number[] | null;
            predicted_class_ids: number[];
            uncertainty: number;
            probabilities: Uint8Array;
          }[]
        >`
          SELECT p.model_version_id, v.number, ARRAY(SELECT jsonb_array_elements_text(v.params->'classIds')::int) AS class_ids,
                 p.predicted_class_ids, p.uncertainty, p.probabilities
          FROM prediction p JOIN model_version v ON v.id = p.model_version_id
          WHERE p.model_version_id = ${versionId} AND p.item_id = ${item.id}`
      : [];
    // A second opinion must be independent: the annotator sees neither the current label nor who gave it.
    const blind = picked.reason === "overlap";
    return {
      item: blind ? { ...item, labelStatus: "unlabeled" as const, labelClassIds: [] } : item,
      reason: picked.reason,
      prediction: prediction
        ? {
            modelVersionId: prediction.model_version_id,
            versionNumber: prediction.number,
            predictedClassIds: prediction.predicted_class_ids,
            uncertainty: prediction.uncertainty,
            probabilities: zipProbabilities(prediction.probabilities, prediction.class_ids ?? []),
          }
        : null,
    };
  });
  // Counted outside the transaction: waiting inside it for another pooled connection could starve the pool when
  // every connection holds a queue transaction.
  return (
    picked && {
      ...picked,
      remaining:
        mode === "review-generated" ? await generatedToReviewCount(db, projectId) : await remainingCount(db, projectId),
    }
  );
}

/** The oldest generated example nobody has reviewed or holds (the (project, source) index narrows the scan). */
async function pickGeneratedToReview(tx: Tx, projectId: number, excluded: number[]): Promise<number | undefined> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    SELECT id FROM item
    WHERE project_id = ${projectId} AND ${GENERATED_UNREVIEWED}
      AND ${leaseFreeSql()} AND id <> ALL(${excluded})
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`;
  return rows[0]?.id;
}

async function generatedToReviewCount(db: Db, projectId: number): Promise<number> {
  const [row] = await db.$queryRaw<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM item WHERE project_id = ${projectId} AND ${GENERATED_UNREVIEWED}`;
  return row?.n ?? 0;
}

function zipProbabilities(bytes: Uint8Array, classIds: number[]) {
  const p = decodeProbabilities(bytes);
  return classIds.map((classId, k) => ({ classId, probability: p[k] ?? 0 }));
}

/** Whether the project's labeled test items are still fewer than its target (evaluation/test-set.ts). */
async function testSetShort(tx: Tx, projectId: number, testTargetItems: number | null): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ classes: number; labeled: number }[]>`
    SELECT (SELECT count(*)::int FROM label_class WHERE project_id = ${projectId} AND archived_at IS NULL) AS classes,
           (SELECT count(*)::int FROM item WHERE project_id = ${projectId} AND split = 'test' AND label_status = 'labeled') AS labeled`;
  return (row?.labeled ?? 0) < testTarget({ testTargetItems }, row?.classes ?? 0);
}

async function pick(
  tx: Tx,
  reason: QueueReason,
  projectId: number,
  versionId: number | null,
  excluded: number[],
  who: { userId: string; secondLookMinF1: number },
): Promise<number | undefined> {
  if (reason === "uncertain") {
    // Before the first model, the training set grows from random train-split items.
    if (!versionId) return pickRandom(tx, projectId, excluded, "train");
    // Test items are never picked by uncertainty: the frozen test set must stay a random sample.
    const rows = await tx.$queryRaw<{ id: number }[]>`
      SELECT i.id FROM prediction p JOIN item i ON i.id = p.item_id
      WHERE p.model_version_id = ${versionId} AND i.project_id = ${projectId} AND i.label_status = 'unlabeled'
        AND i.split <> 'test' AND ${leaseFreeSql("i")} AND i.id <> ALL(${excluded})
      ORDER BY p.priority DESC, i.id
      LIMIT 1 FOR UPDATE OF i SKIP LOCKED`;
    return rows[0]?.id;
  }
  if (reason === "mislabeled") {
    if (!versionId) return undefined;
    // Second looks only from a model good enough to second-guess people (cross-validated macro-F1 at the project's
    // bar), and never on a label this annotator gave in the current session: that is their own fresh judgement.
    const rows = await tx.$queryRaw<{ id: number }[]>`
      SELECT i.id FROM prediction p JOIN item i ON i.id = p.item_id JOIN model_version v ON v.id = p.model_version_id
      WHERE p.model_version_id = ${versionId} AND p.mislabel_score > ${MISLABEL_THRESHOLD} AND i.label_status = 'labeled'
        AND (v.metrics->'crossValidated'->'macro'->>'f1')::float8 >= ${who.secondLookMinF1}
        AND NOT EXISTS (
          SELECT 1 FROM annotation a WHERE a.item_id = i.id AND a.user_id = ${who.userId} AND a.undone_at IS NULL
            AND a.created_at > greatest(now() - make_interval(hours => ${SESSION_HOURS}),
                                        coalesce((SELECT max(s.created_at) FROM session s WHERE s.user_id = ${who.userId} AND s.expires_at > now()), now() - make_interval(hours => ${SESSION_HOURS}))))
        AND i.label_origin IN ${humanDecisionOriginsSql} AND i.labeled_at < v.created_at
        AND ${leaseFreeSql("i")} AND i.id <> ALL(${excluded})
      ORDER BY p.mislabel_score DESC, i.id
      LIMIT 1 FOR UPDATE OF i SKIP LOCKED`;
    return rows[0]?.id;
  }
  // Random picks serve the frozen test split first: it must be labeled without the model's bias.
  return (await pickRandom(tx, projectId, excluded, "test")) ?? pickRandom(tx, projectId, excluded, "train");
}

/**
 * An item that other annotators labeled but that has fewer human votes than the project's overlap, and none from
 * this annotator. Only reached when overlap > 1; newest labels first, so the scan stops early.
 */
async function pickOverlap(
  tx: Tx,
  projectId: number,
  overlap: number,
  userId: string,
  excluded: number[],
): Promise<number | undefined> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    SELECT i.id FROM item i
    WHERE i.project_id = ${projectId} AND i.label_status = 'labeled' AND i.label_origin IN ${humanDecisionOriginsSql}
      AND ${leaseFreeSql("i")} AND i.id <> ALL(${excluded})
      AND NOT EXISTS (SELECT 1 FROM annotation a WHERE a.item_id = i.id AND a.user_id = ${userId} AND a.undone_at IS NULL)
      AND (SELECT count(DISTINCT a.user_id) FROM annotation a
           WHERE a.item_id = i.id AND a.origin = 'human' AND a.undone_at IS NULL AND NOT a.skipped) < ${overlap}
    ORDER BY i.labeled_at DESC, i.id
    LIMIT 1 FOR UPDATE OF i SKIP LOCKED`;
  return rows[0]?.id;
}

/**
 * A random free unlabeled item: start at a random id and take the next free one (an index range scan, not a sort
 * of the pool). The pool's bounds and the scan both name the splits by equality, so each is a lookup in the
 * (project, label status, split, id) index rather than a walk over the project's index entries.
 */
async function pickRandom(
  tx: Tx,
  projectId: number,
  excluded: number[],
  pool: "test" | "train",
): Promise<number | undefined> {
  const splits = pool === "test" ? ["test"] : ["train", "unassigned"];
  let lo: number | null = null;
  let hi: number | null = null;
  for (const split of splits) {
    // Each bound as the first entry of the (project, label status, split, id) index, not min()/max(): with statistics
    // from before the first training moved 100k labeled items to `train`, the planner answered min/max through the
    // (project, split) index and visited every one of them (62 ms a call at 1M items; this form: < 1 ms).
    const [bounds] = await tx.$queryRaw<{ lo: number | null; hi: number | null }[]>`
      SELECT (SELECT id FROM item WHERE project_id = ${projectId} AND label_status = 'unlabeled' AND split = ${split}::"Split" ORDER BY id LIMIT 1) AS lo,
             (SELECT id FROM item WHERE project_id = ${projectId} AND label_status = 'unlabeled' AND split = ${split}::"Split" ORDER BY id DESC LIMIT 1) AS hi`;
    if (bounds?.lo != null && bounds.hi != null) {
      lo = lo === null ? bounds.lo : Math.min(lo, bounds.lo);
      hi = hi === null ? bounds.hi : Math.max(hi, bounds.hi);
    }
  }
  if (lo === null || hi === null) return undefined;
  const start = lo + randomInt(0, hi - lo + 1);
  for (const [from, to] of [
    [start, hi],
    [lo, start - 1],
  ] as const) {
    const rows = await tx.$queryRaw<{ id: number }[]>`
      SELECT id FROM item WHERE project_id = ${projectId} AND label_status = 'unlabeled' AND split = ANY(${splits}::"Split"[])
        AND id BETWEEN ${from} AND ${to} AND ${leaseFreeSql()} AND id <> ALL(${excluded})
      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`;
    if (rows[0]) return rows[0].id;
  }
  return undefined;
}
