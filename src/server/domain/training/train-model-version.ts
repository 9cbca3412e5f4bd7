import type PgBoss from "pg-boss";
import { classifierFromJSON, classifierToJSON } from "@/ml/classifier-artifact";
import { likelyMislabeled } from "@/ml/likely-mislabeled";
import type { Targets } from "@/ml/train-logistic-regression";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import type { JobHooks } from "@/server/domain/job-runs/job-hooks";
import { throttledProgress } from "@/server/domain/job-runs/throttled-progress";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { embedTexts } from "@/server/domain/embeddings/embed-texts";
import { readItemsVectors } from "@/server/domain/embeddings/read-items-vectors";
import { evaluateClassifier } from "@/ml/evaluate-classifier";
import { modelProbabilities, modelReadsText } from "@/ml/model-probabilities";
import { humanDecisionOriginsSql, isHumanDecision } from "@/server/domain/labels/effective-label";
import { getProject } from "@/server/domain/projects/get-project";
import { ASSIGN_TEST_SPLIT_TIMEOUT_MS, assignTestSplit } from "@/server/domain/splits/assign-test-split";
import { evaluationFor, storeEvaluation } from "@/server/domain/evaluation/current-evaluations";
import { evaluateOnTestSet } from "@/server/domain/evaluation/evaluate-on-test-set";
import { decidePromotion } from "@/server/domain/evaluation/promotion-decision";
import { loadTestSet } from "@/server/domain/evaluation/test-set";
import type { Calibration } from "@/ml/fit-classifier";
import { fitClassifierInThread } from "@/server/compute/fit-classifier-in-thread";
import { loadLabeledItems, type LabeledItem } from "@/server/domain/training/load-labeled-items";
import { parseFeaturizerId } from "@/server/featurizers/featurizer-spec";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { scoreJob } from "@/server/jobs/job-definitions";
import { pgPool } from "@/server/pg-pool";

export class TrainingPreconditionError extends Error {
  override name = "TrainingPreconditionError";
}

interface MislabelFlag {
  itemId: number;
  score: number;
  suggested: number;
}

// A split assignment that moved this many rows vacuums the item table before training goes on.
const VACUUM_AFTER_MOVED_ROWS = 10_000;

// How many flagged human labels a version remembers for the "likely mislabeled" queue share.
const MAX_MISLABEL_FLAGS = 2000;

function toJson(value: unknown): Prisma.InputJsonValue {
  // NaN/Infinity (e.g. a metric without positives) become null, as JSON has no such numbers.
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v)),
  ) as Prisma.InputJsonValue;
}

/**
 * One training run: keeps the test split (splits/assign-test-split.ts), builds the training set (human labels win;
 * latest label per item) and refuses when a class has too few labels, embeds, fits a calibrated logistic regression
 * warm-started from the active version, evaluates it on the current test set, and writes the version, its
 * evaluation, its activation (the project's promotion rule, evaluation/promotion-decision.ts) and the scoring job in
 * ONE transaction — a crash anywhere before leaves nothing behind, and a retried job that already wrote its version
 * returns it.
 */
export async function trainModelVersion(
  db: Db,
  boss: PgBoss,
  projectId: number,
  options: { jobRunId?: string; userId?: string | null; hooks: JobHooks },
) {
  const { hooks } = options;
  if (options.jobRunId) {
    const existing = await db.modelVersion.findUnique({ where: { jobRunId: options.jobRunId } });
    if (existing) return existing;
  }
  const project = await getProject(db, projectId);
  const classes = project.classes;
  if (classes.length < 2)
    throw new TrainingPreconditionError("Training needs at least two classes: add classes to the project first");
  const task = project.taskType === "multilabel" ? "multi-label" : "single-label";

  // Where a training's time goes, for its log (the retrain after 50 labels is what annotators wait for).
  const phases: [string, number][] = [];
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases.push([name, now - phaseStart]);
    phaseStart = now;
  };
  const { testCount, moved } = await db.$transaction((tx) => assignTestSplit(tx, projectId), {
    timeout: ASSIGN_TEST_SPLIT_TIMEOUT_MS,
  });
  phase("test split");
  if (moved >= VACUUM_AFTER_MOVED_ROWS) {
    // The first training of a large pool moves most of it between splits (300k of 1M rows in the loop bench: the
    // arrival draw's surplus released, every labeled item swept to `train`). Until a vacuum, every later training's
    // split checks and label read, and the queue's picks, walk those rows' dead index entries (1.4 s of a retrain's
    // 6 s at 1M items on a server with autovacuum off; autovacuum, where on, gets to it a minute or more later).
    await pgPool().query("VACUUM (ANALYZE) item");
    phase("vacuum");
  }
  const spec = parseFeaturizerId(project.featurizerId);
  const { train } = await loadLabeledItems(db, projectId, {
    includeGenerated: project.includeGenerated,
    withText: spec.ngrams,
  });
  // The test items every metric uses (evaluation/test-set.ts): this version is stored with its figures on them.
  phase("labels");
  const testSet = await loadTestSet(
    db,
    project,
    classes.map((c) => c.id),
  );
  phase("test set");
  const classIndex = new Map(classes.map((c, k) => [c.id, k]));
  const usable = (items: LabeledItem[]) =>
    items.filter(
      (item) =>
        item.classIds.some((id) => classIndex.has(id)) || (task === "multi-label" && item.classIds.length === 0),
    );
  const trainItems = usable(train);
  const testItems = testSet.items;
  const K = classes.length;
  const counts = new Array<number>(K).fill(0);
  for (const item of trainItems) for (const id of item.classIds) if (classIndex.has(id)) counts[classIndex.get(id)!]!++;
  const classesWithData = counts.filter((c) => c > 0).length;
  if (task === "single-label" && classesWithData < 2) {
    throw new TrainingPreconditionError(
      `Training needs labeled examples of at least two classes outside the test split (have: ${classes.map((c, k) => `${c.name} ${counts[k]}`).join(", ")})`,
    );
  }
  if (trainItems.length === 0) throw new TrainingPreconditionError("No labeled items to train on yet");
  // A class with fewer examples than the minimum gives a model whose figures mean nothing: refuse, and say what is missing.
  const short = classes.filter((_, k) => counts[k]! < project.minLabelsPerClass);
  if (short.length > 0) {
    throw new TrainingPreconditionError(
      `Training needs at least ${project.minLabelsPerClass} labels of every class outside the test split (Settings → minimum labels per class); too few: ${short.map((c) => `${c.name} ${counts[classIndex.get(c.id)!]}`).join(", ")}`,
    );
  }
  await hooks.log(
    `${trainItems.length} training labels (${classes.map((c, k) => `${c.name} ${counts[k]}`).join(", ")}); ${testItems.length} labeled of ${testCount} test items`,
  );
  await hooks.throwIfCancelled();

  const featurizer = await getFeaturizer(project.featurizerId);
  const total = trainItems.length + testItems.length;
  await hooks.progress(0, total);
  phase("checks");
  const X = await readItemsVectors(db, featurizer, projectId, trainItems, {
    shared: true,
    onProgress: throttledProgress((done) => hooks.progress(Math.round(done * 0.8), total)),
  });
  phase("vectors");
  const Xtest = await embedTexts(db, featurizer, testItems, { projectId });
  phase("test vectors");
  await hooks.throwIfCancelled();

  const targets = toTargets(trainItems, classIndex, K, task);
  const previous = await activeVersion(db, project.activeModelVersionId, project.featurizerId);
  const ngrams = spec.ngrams
    ? {
        trainTexts: trainItems.map((item) => item.text!),
        dfTexts: await documentFrequencyTexts(db, projectId, trainItems),
      }
    : undefined;
  const warmStart = previous?.model;
  phase("previous version");
  const started = Date.now();
  const { model, oof, calibration } = await fitClassifierInThread(
    X,
    trainItems.length,
    featurizer.dim,
    classes.map((c) => c.name),
    targets,
    {
      featurizerId: project.featurizerId,
      ngrams,
      seed: projectId,
      warmStart,
      warmStartCalibration: previous?.calibration ?? null,
      warmStartVersionId: previous?.id ?? null,
      target:
        project.thresholdMetric && project.thresholdTarget !== null
          ? ({ [project.thresholdMetric]: project.thresholdTarget } as { precision: number } | { recall: number })
          : undefined,
    },
  );
  const calibrationNote = !calibration
    ? "uncalibrated"
    : calibration.fromVersionId !== null
      ? `calibration of ${calibration.trainRows} rows inherited`
      : `calibrated by ${(model.metrics.folds as number | undefined) ?? "?"}-fold CV on ${calibration.rows} rows`;
  await hooks.log(
    `Fitted in ${Date.now() - started} ms (temperature ${model.temperature.toFixed(2)}${warmStart ? ", warm start" : ""}; ${calibrationNote})`,
  );
  await hooks.progress(Math.round(total * 0.9), total);
  phase("fit");

  const testTargets = toTargets(
    testItems.map((item) => ({ ...item, origin: "human" as const, split: "test" as const })),
    classIndex,
    K,
    task,
  );
  const testProba = modelProbabilities(model, {
    n: testItems.length,
    dense: Xtest,
    texts: modelReadsText(model) ? testItems.map((item) => item.text!) : null,
  });
  const evaluation = evaluateClassifier(model, {
    proba: testProba,
    n: testItems.length,
    y: testTargets.task === "single-label" ? testTargets.y : undefined,
    Y: testTargets.task === "multi-label" ? testTargets.Y : undefined,
  });
  const humanLabels = trainItems.filter((i) => isHumanDecision(i.origin)).length;
  const mislabelFlags =
    oof && targets.task === "single-label"
      ? flagLikelyMislabeled(
          oof.proba,
          Int32Array.from(oof.rows, (i) => targets.y[i]!),
          Array.from(oof.rows, (i) => trainItems[i]!),
          K,
        )
      : previous && calibration?.fromVersionId != null
        ? await stillFlagged(db, previous)
        : [];
  const current = evaluateOnTestSet(
    {
      task,
      classIds: classes.map((c) => c.id),
      classNames: classes.map((c) => c.name),
      probabilities: testProba,
      thresholds: model.thresholds,
    },
    testSet,
  );
  // The active version on exactly these test items, for the promotion rule (stored, or measured now).
  const live = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { activeModelVersionId: true } });
  const liveVersion = live.activeModelVersionId
    ? await db.modelVersion.findUnique({ where: { id: live.activeModelVersionId }, select: { id: true, number: true } })
    : null;
  let liveEvaluation = null;
  if (liveVersion) {
    try {
      liveEvaluation = await evaluationFor(db, liveVersion.id, testSet);
    } catch (error) {
      await hooks.log(
        `v${liveVersion.number} could not be measured on the test set: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  await hooks.throwIfCancelled();
  phase("evaluation");

  const written = await db.$transaction(async (tx) => {
    // NO KEY UPDATE: serializes version numbering without blocking concurrent label inserts (key-share locks).
    await tx.$queryRaw`SELECT id FROM project WHERE id = ${projectId} FOR NO KEY UPDATE`;
    const last = await tx.modelVersion.aggregate({ where: { projectId }, _max: { number: true } });
    const project2 = await tx.project.findUniqueOrThrow({ where: { id: projectId } });
    const version = await tx.modelVersion.create({
      data: {
        projectId,
        number: (last._max.number ?? 0) + 1,
        kind: "logistic_regression",
        featurizerId: project.featurizerId,
        status: "ready",
        parentId: project2.activeModelVersionId,
        trainLabelCount: trainItems.length,
        testLabelCount: testItems.length,
        createdById: options.userId ?? null,
        jobRunId: options.jobRunId ?? null,
        finishedAt: new Date(),
        artifact: toJson(classifierToJSON(model)),
        params: toJson({
          classIds: classes.map((c) => c.id),
          task,
          includeGenerated: project.includeGenerated,
          warmStartFrom: warmStart ? project2.activeModelVersionId : null,
          calibration,
          mislabelFlags,
        }),
        metrics: toJson({
          test: evaluation ? { n: testItems.length, macroF1: evaluation.macroF1, ...evaluation.report } : null,
          prCurves: evaluation?.prCurves ?? [],
          calibration: evaluation?.calibration ?? [],
          crossValidated: model.metrics.crossValidated ?? null,
          training: {
            rows: trainItems.length,
            humanLabels,
            perClass: classes.map((c, k) => ({ classId: c.id, name: c.name, count: counts[k] })),
            optimizer: model.metrics.optimizer ?? null,
            temperature: model.temperature,
            // How the hybrid trainer chose its regularization and block weight, and how it calibrated (shown on the version page).
            selection: model.metrics.selection ?? null,
            calibrationMethod: model.metrics.calibration ?? null,
            blocks: model.metrics.blocks ?? null,
          },
          learningCurvePoint: { labels: trainItems.length, humanLabels, macroF1: evaluation?.macroF1 ?? null },
        }),
      },
    });
    if (current) await storeEvaluation(tx, version.id, current);
    // Decided on the version that was live when the active one was measured; if an admin switched it meanwhile, the
    // candidate is compared with that one only when it is still the live one.
    const activeNow = project2.activeModelVersionId;
    const sameActive = activeNow !== null && liveVersion?.id === activeNow;
    const activeNumber =
      activeNow === null
        ? 0
        : sameActive
          ? liveVersion.number
          : (await tx.modelVersion.findUniqueOrThrow({ where: { id: activeNow }, select: { number: true } })).number;
    const decision = decidePromotion({
      policy: project2.promotion,
      items: testSet.items,
      classIds: classes.map((c) => c.id),
      candidate: { versionId: version.id, number: version.number, evaluation: current },
      active:
        activeNow === null
          ? null
          : { versionId: activeNow, number: activeNumber, evaluation: sameActive ? liveEvaluation : null },
    });
    const activate = decision.activate;
    if (activate) await tx.project.update({ where: { id: projectId }, data: { activeModelVersionId: version.id } });
    if (decision.note)
      await tx.modelVersion.update({ where: { id: version.id }, data: { promotionNote: decision.note } });
    await recordAudit(tx, {
      projectId,
      userId: options.userId ?? null,
      action: "model.train",
      entityType: "model_version",
      entityId: version.id,
      data: { number: version.number, macroF1: evaluation?.macroF1 ?? null, activated: activate, note: decision.note },
    });
    await enqueueJob(
      tx,
      boss,
      scoreJob,
      { projectId, modelVersionId: version.id },
      { projectId, userId: options.userId ?? null },
    );
    return version;
  });
  phase("version write");
  await hooks.log(`Time: ${phases.map(([name, ms]) => `${name} ${Math.round(ms)} ms`).join(", ")}`);
  return written;
}

function toTargets(
  items: LabeledItem[],
  classIndex: Map<number, number>,
  K: number,
  task: "single-label" | "multi-label",
): Targets {
  if (task === "single-label")
    return {
      task,
      y: Int32Array.from(items, (item) => classIndex.get(item.classIds.find((id) => classIndex.has(id))!)!),
    };
  const Y = new Uint8Array(items.length * K);
  items.forEach((item, i) => {
    for (const id of item.classIds) if (classIndex.has(id)) Y[i * K + classIndex.get(id)!] = 1;
  });
  return { task, Y };
}

async function activeVersion(db: Db, versionId: number | null, featurizerId: string) {
  if (!versionId) return undefined;
  const version = await db.modelVersion.findUnique({ where: { id: versionId } });
  if (!version?.artifact || version.kind !== "logistic_regression" || version.featurizerId !== featurizerId)
    return undefined;
  const params = version.params as { calibration?: Calibration | null; mislabelFlags?: MislabelFlag[] } | null;
  return {
    id: version.id,
    createdAt: version.createdAt,
    model: classifierFromJSON(version.artifact),
    calibration: params?.calibration ?? null,
    flags: params?.mislabelFlags ?? [],
  };
}

/**
 * An inherited calibration has no fresh out-of-fold probabilities: the previous version's flags carry over for the
 * items whose human label has not changed since that version (the others were reviewed in the meantime).
 */
async function stillFlagged(db: Db, previous: { createdAt: Date; flags: MislabelFlag[] }): Promise<MislabelFlag[]> {
  if (previous.flags.length === 0) return [];
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM item WHERE id = ANY(${previous.flags.map((f) => f.itemId)}::int[]) AND label_origin IN ${humanDecisionOriginsSql} AND labeled_at < ${previous.createdAt}`;
  const unchanged = new Set(rows.map((r) => r.id));
  return previous.flags.filter((f) => unchanged.has(f.itemId));
}

/** Human labels the cross-validated model strongly disagrees with, strongest first. */
function flagLikelyMislabeled(oofProba: Float32Array, y: Int32Array, items: LabeledItem[], K: number): MislabelFlag[] {
  const { score, suggested } = likelyMislabeled(oofProba, y, items.length, K);
  const flags: MislabelFlag[] = [];
  items.forEach((item, i) => {
    if (isHumanDecision(item.origin) && score[i]! > 0)
      flags.push({ itemId: item.itemId, score: score[i]!, suggested: suggested[i]! });
  });
  return flags.sort((a, b) => b.score - a.score).slice(0, MAX_MISLABEL_FLAGS);
}

// Above this many items the IDF of a hybrid model's n-gram block comes from a seeded sample of the pool (plus every
// training text): document frequencies of 50,000 texts rank n-grams as well as a million's, in a fraction of the time.
const DF_SAMPLE = 50_000;

/** The texts whose document frequencies give a hybrid model's IDF: the project's pool (a sample of a large one). */
async function documentFrequencyTexts(db: Db, projectId: number, trainItems: LabeledItem[]): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: number; text: string }[]>`
    SELECT id, text FROM item WHERE project_id = ${projectId}
    ORDER BY CASE WHEN (SELECT count(*) FROM item WHERE project_id = ${projectId}) <= ${DF_SAMPLE} THEN 0 ELSE hashint4(id) END, id
    LIMIT ${DF_SAMPLE}`;
  const seen = new Set(rows.map((r) => r.id));
  return [...rows.map((r) => r.text), ...trainItems.filter((item) => !seen.has(item.itemId)).map((item) => item.text!)];
}
