import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { countGenerationResults } from "@/server/domain/generation/count-generation-results";
import type { GenerationOptions } from "@/server/schemas/generation-options";
import {
  askRoundSummaries,
  expandBatch,
  expandSeedOf,
  MAX_STALE_ROUNDS,
  maxRoundsFor,
  type ExpandAnswer,
  type GenerationStepContext,
} from "@/server/domain/generation/generation-steps";
import { NearDuplicateIndex, type EmbedTexts } from "@/ml/near-duplicate-index";
import { storeGeneratedExample } from "@/server/domain/generation/store-generated-example";
import { contentHash } from "@/server/domain/items/content-hash";
import type { LlmClient } from "@/server/llm/llm-client";
import type { PromptTemplates } from "@/server/llm/prompt-templates";

export interface GenerationDeps {
  /** Shared by all classes: its limiter bounds concurrent requests across the whole run. */
  client: LlmClient;
  /** The project's featurizer; without one the near-duplicate check is skipped (and the log says so). */
  embed?: EmbedTexts;
  log(message: string, level?: "info" | "warn" | "error"): Promise<void>;
  progress(done: number, total: number): Promise<void>;
  /** Throws to stop (cancellation); called between steps. */
  checkpoint(): Promise<void>;
}

/** Existing examples loaded for the near-duplicate check, most recent first. */
const MAX_INDEXED_EXAMPLES = 5000;

// Seeds derive from the class name, not its id, so the same classes and seed ask the same questions in any
// project — and re-runs are answered from the cache.
type Cls = { id: number; name: string; description: string };
type Summary = { id: number; classId: number; phase: string; text: string; round: number };

/**
 * Lamini's three phases per class — example summaries from the class prompt and a seeded sample of existing
 * examples, diversified summaries, expansion into complete examples — until each class has `targetPerClass` new
 * examples. All classes run at once through one limiter, so requests are batched across classes. Everything is
 * persisted as it happens (summaries with their round, items with their summary), so a restarted run resumes:
 * pending summaries are expanded first and answers already paid for come from the LLM cache.
 */
export async function runGeneration(
  db: Db,
  runId: number,
  options: GenerationOptions,
  templates: PromptTemplates,
  deps: GenerationDeps,
) {
  const run = await db.generationRun.findUniqueOrThrow({ where: { id: runId } });
  const classes: Cls[] = await db.labelClass.findMany({
    where: { id: { in: run.classIds }, projectId: run.projectId, archivedAt: null },
    orderBy: [{ position: "asc" }, { id: "asc" }],
    select: { id: true, name: true, description: true },
  });
  if (classes.length < run.classIds.length)
    await deps.log(
      `${run.classIds.length - classes.length} class(es) were archived or deleted since the run started; skipping them`,
      "warn",
    );
  const target = run.targetPerClass;
  const kept = new Map<number, number>(classes.map((c) => [c.id, 0]));
  for (const row of await db.generationSummary.groupBy({
    by: ["classId"],
    where: { runId, itemId: { not: null } },
    _count: { _all: true },
  }))
    kept.set(row.classId, row._count._all);
  const total = target * classes.length;
  const done = () => [...kept.values()].reduce((sum, n) => sum + Math.min(n, target), 0);
  if (done() > 0) await deps.log(`Resuming: ${done()} of ${total} examples already stored`);
  await deps.progress(done(), total);
  if (!deps.embed)
    await deps.log(
      "Near-duplicate check skipped: no featurizer available to this worker; exact duplicates are still dropped",
      "warn",
    );

  // The first failure stops the other classes at their next step instead of letting them run on.
  let failure: unknown;
  const guard = async () => {
    if (failure) throw failure;
    await deps.checkpoint();
  };
  // The LLM steps (phases 1–3) are shared with the offline CLI; persistence and resumption stay here.
  const steps: GenerationStepContext = { client: deps.client, templates, seed: run.seed, log: deps.log, guard };

  const drop = async (cls: Cls, summary: Summary, reason: string) => {
    await db.generationSummary.update({ where: { id: summary.id }, data: { dropped: reason } });
    await deps.log(`${cls.name}: dropped "${summary.text.slice(0, 80)}": ${reason}`);
  };

  /** Phase 1 + 2 for one round; returns how many new summaries were stored. */
  async function runRound(cls: Cls, round: number): Promise<number> {
    const remaining = target - (kept.get(cls.id) ?? 0);
    const { summaries, firstCount } = await askRoundSummaries(steps, cls, {
      round,
      remaining,
      options,
      history: (seed) => historySample(cls.id, round, seed),
    });
    const rows = summaries.map(({ phase, text }) => ({ runId, classId: cls.id, phase, text, round }));
    const stored = rows.length
      ? (await db.generationSummary.createMany({ data: rows, skipDuplicates: true })).count
      : 0;
    await deps.log(
      `${cls.name}: round ${round + 1}: ${firstCount} summaries, ${rows.length - firstCount} diversified, ${stored} new`,
    );
    return stored;
  }

  /** Up to maxHistory existing examples of the class, in a seeded random order computed by PostgreSQL. */
  async function historySample(classId: number, round: number, seed: number): Promise<string[]> {
    // This run's own examples count from the rounds before this one only, so a resumed round asks the same question.
    const rows = await db.$queryRaw<{ text: string }[]>`
      SELECT text FROM item
      WHERE project_id = ${run.projectId} AND ${classId}::int = ANY(label_class_ids) AND label_status = 'labeled'
        AND (generation_run_id IS DISTINCT FROM ${runId}::int OR COALESCE((provenance->>'round')::int, 0) < ${round}::int)
      ORDER BY md5(content_hash || ${String(seed)}) LIMIT ${options.maxHistory}::int`;
    return rows.map((r) => r.text);
  }

  /** Dedupes and stores one expansion (in summary order, see expandBatch: a re-run makes the same choices). */
  async function keepOne(
    cls: Cls,
    summary: Summary,
    answer: ExpandAnswer,
    index: NearDuplicateIndex | undefined,
  ): Promise<boolean> {
    if ("drop" in answer) {
      await drop(cls, summary, answer.drop);
      return false;
    }
    const existing = await db.item.findUnique({
      where: { projectId_contentHash: { projectId: run.projectId, contentHash: contentHash(answer.text) } },
      select: { id: true },
    });
    if (existing) {
      await drop(cls, summary, `duplicate of item ${existing.id}`);
      return false;
    }
    const vector = index ? await index.vectorOf(answer.text) : undefined;
    if (index && vector) {
      const near = index.nearest(vector);
      if (near) {
        await drop(cls, summary, `near-duplicate of item ${near.id ?? "?"} (cosine ${near.similarity.toFixed(3)})`);
        return false;
      }
    }
    const expandSeed = expandSeedOf(run.seed, cls, summary.text);
    const provenance = {
      runId,
      model: run.model,
      templateVersion: run.templateVersion,
      seed: run.seed,
      expandSeed,
      phase: summary.phase,
      round: summary.round,
      summary: summary.text,
      summaryId: summary.id,
    };
    const stored = await storeGeneratedExample(db, {
      projectId: run.projectId,
      runId,
      classId: cls.id,
      summaryId: summary.id,
      text: answer.text,
      provenance: provenance as Prisma.InputJsonValue,
    });
    if ("duplicateOf" in stored) {
      // Another class of this run stored the same text in the meantime.
      await deps.log(
        `${cls.name}: dropped "${summary.text.slice(0, 80)}": duplicate of item ${stored.duplicateOf ?? "?"}`,
      );
      return false;
    }
    if (index && vector) index.push(vector, stored.itemId);
    return true;
  }

  async function buildIndex(cls: Cls): Promise<NearDuplicateIndex | undefined> {
    if (!deps.embed) return undefined;
    const index = new NearDuplicateIndex(deps.embed, options.nearDuplicateThreshold);
    const items = await db.item.findMany({
      where: { projectId: run.projectId, labelClassIds: { has: cls.id }, labelStatus: "labeled" },
      orderBy: { id: "desc" },
      take: MAX_INDEXED_EXAMPLES,
      select: { id: true, text: true },
    });
    await index.addTexts(
      items.map((i) => i.text),
      items.map((i) => i.id),
    );
    return index;
  }

  async function generateForClass(cls: Cls) {
    if ((kept.get(cls.id) ?? 0) >= target) return;
    const index = await buildIndex(cls);
    const last = await db.generationSummary.aggregate({ where: { runId, classId: cls.id }, _max: { round: true } });
    let round = last._max.round === null ? 0 : last._max.round + 1;
    const maxRounds = maxRoundsFor(round, target, options);
    let stale = 0;
    let keptAtRoundStart = -1;
    while ((kept.get(cls.id) ?? 0) < target) {
      await guard();
      const have = kept.get(cls.id) ?? 0;
      const pending = await db.generationSummary.findMany({
        where: { runId, classId: cls.id, itemId: null, dropped: null },
        orderBy: { id: "asc" },
        take: target - have,
        select: { id: true, classId: true, phase: true, text: true, round: true },
      });
      if (pending.length > 0) {
        let added = 0;
        const failed = await expandBatch(
          steps,
          cls,
          pending,
          (summary) => summary.text,
          async (summary, answer) => {
            if (await keepOne(cls, summary, answer, index)) added++;
          },
        );
        kept.set(cls.id, have + added);
        await deps.progress(done(), total);
        if (failed) throw failed.reason;
        continue;
      }
      stale = have === keptAtRoundStart ? stale + 1 : 0;
      keptAtRoundStart = have;
      if (stale >= MAX_STALE_ROUNDS || round >= maxRounds) {
        await deps.log(
          `${cls.name}: stopped at ${have} of ${target} examples: the model keeps producing duplicates or unusable answers; try another seed, more history or a richer class description`,
          "warn",
        );
        return;
      }
      await runRound(cls, round);
      round++;
    }
  }

  const outcomes = await Promise.allSettled(
    classes.map((cls) =>
      generateForClass(cls).catch((error: unknown) => {
        failure ??= error;
        throw error;
      }),
    ),
  );
  const counts = await countGenerationResults(
    db,
    runId,
    classes.map((c) => c.id),
  );
  await db.generationRun.update({
    where: { id: runId },
    data: { counts: counts as unknown as Prisma.InputJsonValue, ...(failure ? {} : { finishedAt: new Date() }) },
  });
  const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (rejected) throw failure ?? rejected.reason;
  return { counts, stored: done(), target: total };
}
