import fs from "node:fs";
import path from "node:path";

export interface LoopRun {
  tag: string;
  date: string;
  machine: string;
  options: Record<string, unknown>;
  load: Record<string, number[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw figures, rendered by path below
  figures: Record<string, any>;
}

const DIR = path.resolve("bench/results");
const JSON_FILE = path.join(DIR, "loop.json");
const MD_FILE = path.join(DIR, "loop.md");
const NOTES_START = "<!-- notes:start -->";
const NOTES_END = "<!-- notes:end -->";

// [label, path into figures, unit/format]
const ROWS: [string, string, (v: number) => string][] = [
  ["load: items + vectors (s)", "load.items", (v) => v.toFixed(1)],
  ["load: items/s", "load.itemsPerSecond", (v) => v.toLocaleString("en")],
  ["load: annotations for labeled items (s)", "load.labels", (v) => v.toFixed(1)],
  ["load: vector blocks, embed job's code (s)", "load.blocks", (v) => v.toFixed(1)],
  ["first training, train job (s)", "firstTrain.seconds", (v) => v.toFixed(1)],
  ["score the pool: score job (s)", "score.seconds", (v) => v.toFixed(1)],
  ["score: items/s", "score.itemsPerSecond", (v) => v.toLocaleString("en")],
  ["score: chunks waiting for reads, summed (s)", "score.chunks.read", (v) => v.toFixed(1)],
  ["score: chunks computing, summed (s)", "score.chunks.compute", (v) => v.toFixed(1)],
  ["score: chunks writing predictions, summed (s)", "score.chunks.write", (v) => v.toFixed(1)],
  ["score: chunk jobs, first start → last end (s)", "score.chunks.span", (v) => v.toFixed(1)],
  ["score: chunk jobs' run time, summed (s)", "score.chunks.jobs", (v) => v.toFixed(1)],
  ["score: index + attach (s)", "score.chunks.attach", (v) => v.toFixed(1)],
  ["score: peak RSS of the process (MB)", "score.rssPeakMB", (v) => String(v)],
  ["score: RSS before scoring (MB)", "score.rssStartMB", (v) => String(v)],
  ["floor: read a Float32Array n × dim once (ms)", "score.memoryFloorMs", (v) => String(v)],
  ["floor: read all vectors from PostgreSQL (ms)", "score.databaseReadFloorMs", (v) => String(v)],
  ["score ÷ memory floor — target ≤ 10", "score.ratioToMemoryFloor", (v) => `${v}×`],
  ["score ÷ database-read floor", "score.ratioToDatabaseReadFloor", (v) => `${v}×`],
  ["saturated queue (no think time): queue.next p50 (ms)", "queue.next.p50", (v) => v.toFixed(0)],
  ["saturated: queue.next p95 (ms)", "queue.next.p95", (v) => v.toFixed(0)],
  ["saturated: queue.next p99 (ms)", "queue.next.p99", (v) => v.toFixed(0)],
  ["saturated: labels.submit p50 (ms)", "queue.submit.p50", (v) => v.toFixed(0)],
  ["saturated: labels.submit p95 (ms)", "queue.submit.p95", (v) => v.toFixed(0)],
  ["saturated: labels/s (20 annotators)", "queue.labelsPerSecond", (v) => v.toFixed(1)],
  ["paced queue (2 s ± 50% per item): queue.next p50 (ms)", "queuePaced.next.p50", (v) => v.toFixed(0)],
  ["paced: queue.next p95 (ms) — target ≤ 50", "queuePaced.next.p95", (v) => v.toFixed(0)],
  ["paced: queue.next p95 of calls overlapping no job (ms)", "queuePaced.tail.noJob.p95", (v) => v.toFixed(0)],
  ["paced: event loop delay p99 of the bench process (ms)", "queuePaced.eventLoopDelay.p99Ms", (v) => v.toFixed(0)],
  ["paced: labels.submit p95 (ms)", "queuePaced.submit.p95", (v) => v.toFixed(0)],
  ["paced: labels/s", "queuePaced.labelsPerSecond", (v) => v.toFixed(1)],
  ["double assignments", "queue.duplicateAssignments", (v) => String(v)],
  ["catch-up training after the queue sections, train job (s)", "catchUp.seconds", (v) => v.toFixed(1)],
  ["retrain: labels new to the version it warm-starts from", "retrain.newLabels", (v) => v.toLocaleString("en")],
  ["retrain: 50th label → new active version (s) — target ≤ 2", "retrain.toActiveSeconds", (v) => v.toFixed(2)],
  ["retrain: train job itself (s)", "retrain.trainJobSeconds", (v) => v.toFixed(2)],
  ["retrain: job queued → started (s)", "retrain.jobQueuedToStartSeconds", (v) => v.toFixed(2)],
  ["retrain: 50th label → pool re-ranked (s) — target ≤ 10", "retrain.toRankedSeconds", (v) => v.toFixed(1)],
  ["retrain: 50th label → re-score job finished (s)", "retrain.toScoreDoneSeconds", (v) => v.toFixed(1)],
  ["retrain: re-score job (s)", "retrain.scoreJobSeconds", (v) => v.toFixed(1)],
  ["retrain: re-score chunks waiting for reads, summed (s)", "retrain.chunks.read", (v) => v.toFixed(1)],
  ["retrain: re-score chunks computing, summed (s)", "retrain.chunks.compute", (v) => v.toFixed(1)],
  ["retrain: re-score chunks writing, summed (s)", "retrain.chunks.write", (v) => v.toFixed(1)],
  ["retrain: re-score chunk jobs, first start → last end (s)", "retrain.chunks.span", (v) => v.toFixed(1)],
  ["retrain: re-score chunk jobs' run time, summed (s)", "retrain.chunks.jobs", (v) => v.toFixed(1)],
  ["retrain: re-score index + attach (s)", "retrain.chunks.attach", (v) => v.toFixed(1)],
  ["retrain: test macro-F1", "retrain.testMacroF1", (v) => v.toFixed(3)],
];

function at(obj: unknown, p: string): number | undefined {
  let cur: unknown = obj;
  for (const key of p.split("."))
    cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[key] : undefined;
  return typeof cur === "number" ? cur : undefined;
}

/** Keeps one run per tag in loop.json and renders every run side by side in loop.md (hand-written notes kept). */
export function writeResults(run: LoopRun) {
  fs.mkdirSync(DIR, { recursive: true });
  const runs: LoopRun[] = fs.existsSync(JSON_FILE) ? (JSON.parse(fs.readFileSync(JSON_FILE, "utf8")) as LoopRun[]) : [];
  const i = runs.findIndex((r) => r.tag === run.tag);
  if (i >= 0) runs[i] = run;
  else runs.push(run);
  fs.writeFileSync(JSON_FILE, `${JSON.stringify(runs, null, 1)}\n`);

  const old = fs.existsSync(MD_FILE) ? fs.readFileSync(MD_FILE, "utf8") : "";
  const notes = old.includes(NOTES_START)
    ? old.slice(old.indexOf(NOTES_START), old.indexOf(NOTES_END) + NOTES_END.length)
    : `${NOTES_START}\n${NOTES_END}`;
  const header = `| | ${runs.map((r) => r.tag).join(" | ")} |\n|---|${runs.map(() => "---:").join("|")}|`;
  const body = ROWS.map(
    ([label, p, fmt]) =>
      `| ${label} | ${runs
        .map((r) => {
          const v = at(r.figures, p);
          return v === undefined ? "–" : fmt(v);
        })
        .join(" | ")} |`,
  ).join("\n");
  const meta = runs
    .map(
      (r) =>
        `- **${r.tag}** (${r.date.slice(0, 16)}): ${r.options.items} items, ${r.options.labeled} labeled, ${r.options.annotators} annotators, featurizer ${String(r.figures.load?.featurizer ?? "?")}; ${r.machine}; load average (1/5/15 min) at start ${r.load.start?.join(" / ")}, after scoring ${r.load.afterScore?.join(" / ") ?? "–"}, after the queue ${r.load.afterQueue?.join(" / ") ?? "–"}, at the end ${r.load.end?.join(" / ") ?? "–"}`,
    )
    .join("\n");
  const doc = `# Active-learning loop benchmark

Generated by \`npm run bench:loop\` (bench/loop/run.ts); raw figures in bench/results/loop.json. One column per run
(\`--tag\`): a 1,000,000-item project built from the AG News fixture (2,000 texts repeated with variations) with
vectors in embedding_cache, 100,000 of its items labeled; the score job ranks the pool with the in-process worker;
20 annotators loop queue.next → labels.submit over real HTTP; an automatic retrain every 50 labels.
**The machine (2 cores) is shared with other engineers' builds and tests**: compare columns only together with
their load averages; ratios within one run (score ÷ floor) are more robust than absolute times.

${header}
${body}

## Runs
${meta}

${notes}
`;
  fs.writeFileSync(MD_FILE, doc);
}
