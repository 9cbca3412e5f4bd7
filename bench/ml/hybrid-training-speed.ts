import fs from "node:fs";
import { classifierToJSON } from "@/ml/classifier-artifact";
import { fitNgramVocabulary, ngramMatrix } from "@/ml/ngram-vocabulary";
import { createRng } from "@/ml/rng";
import { trainHybridClassifier, type SelectionRecord } from "@/ml/train-hybrid-classifier";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { loadSingleLabel } from "./datasets";

export interface HybridTrainingSpeed {
  rows: number;
  classes: number;
  vocabulary: number;
  nnzPerRow: number;
  featureSeconds: number;
  trainSeconds: number;
  /** CPU seconds of the training: the whole process (every thread), and its calling thread alone (NaN off Linux). */
  trainCpuSeconds: { process: number; mainThread: number };
  /** Seconds at which each fit ended, with its phase. */
  fits: { phase: string; at: number }[];
  selection: SelectionRecord;
  final: { iterations: number; evaluations: number; reason: string };
  artifactMB: number;
}

/** CPU ms of this process's main thread (Linux /proc: utime + stime at 100 Hz), or NaN elsewhere. */
export function mainThreadCpuMs(): number {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * The speed set's texts: Banking77's train texts once, then repeats with one word dropped; half of the first 74
 * intents' texts get a politeness suffix and count as 74 extra classes (151 in all).
 */
export function speedSetTexts(rows: number): { texts: string[]; y: Int32Array; classes: string[] } {
  const N = rows;
  const ds = loadSingleLabel("banking77");
  const rng = createRng(151);
  const SUFFIX = ["thanks", "please", "asap", "thank you so much", "help me out"];
  const texts: string[] = [];
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const j = i % ds.train.texts.length;
    let words = ds.train.texts[j]!.split(" ");
    if (i >= ds.train.texts.length && words.length > 2) words = words.filter((_, w) => w !== rng.int(words.length));
    let c = ds.train.y[j]!;
    if (c < 74 && rng.next() < 0.5) {
      c += 77;
      words.push(SUFFIX[rng.int(SUFFIX.length)]!);
    }
    texts.push(words.join(" "));
    y[i] = c;
  }
  const classes = Array.from({ length: 151 }, (_, k) => (k < 77 ? ds.classes[k]! : `${ds.classes[k - 77]!} (polite)`));
  return { texts, y, classes };
}

/**
 * Training time of the default learner (trainHybridClassifier: selection, out-of-fold calibration, final fit) on a
 * 151-class single-label set built from Banking77's train texts: every text once plus repeats with one word dropped;
 * 74 extra classes are the first 74 intents' texts with a politeness suffix.
 */
export async function measureHybridTraining(options: {
  rows: number;
  cacheDir: string;
  sparseOnly?: boolean;
  log?: (line: string) => void;
}): Promise<HybridTrainingSpeed> {
  const { texts, y, classes } = speedSetTexts(options.rows);
  const N = options.rows;
  const t0 = performance.now();
  const vocab = fitNgramVocabulary({ dfTexts: texts });
  const sparse = ngramMatrix(vocab, texts);
  const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: options.cacheDir });
  const dense = options.sparseOnly ? null : await featurizer.embed(texts);
  await featurizer.close();
  const featureSeconds = (performance.now() - t0) / 1000;
  const fits: HybridTrainingSpeed["fits"] = [];
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  const { model } = trainHybridClassifier(
    { n: N, dense, d: dense ? featurizer.dim : 0, sparse },
    classes,
    { task: "single-label", y },
    {
      featurizerId: "bench",
      vocabulary: vocab,
      onProgress: (done, total, phase) => {
        fits.push({ phase, at: (performance.now() - t1) / 1000 });
        options.log?.(`  fit ${done}/${total} (${phase}) at ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      },
    },
  );
  const trainSeconds = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const trainCpuSeconds = { process: (cpu.user + cpu.system) / 1e6, mainThread: (mainThreadCpuMs() - main0) / 1000 };
  const opt = model.metrics.optimizer as HybridTrainingSpeed["final"];
  return {
    rows: N,
    classes: classes.length,
    vocabulary: vocab.size,
    nnzPerRow: sparse.indices.length / N,
    featureSeconds,
    trainSeconds,
    trainCpuSeconds,
    fits,
    selection: model.metrics.selection as SelectionRecord,
    final: { iterations: opt.iterations, evaluations: opt.evaluations, reason: opt.reason },
    artifactMB: JSON.stringify(classifierToJSON(model)).length / 1e6,
  };
}

/** Seconds spent in each phase, from the fits' end times. */
export function phaseSeconds(fits: HybridTrainingSpeed["fits"]): Record<string, number> {
  const out: Record<string, number> = {};
  let prev = 0;
  for (const f of fits) {
    out[f.phase] = (out[f.phase] ?? 0) + (f.at - prev);
    prev = f.at;
  }
  return out;
}
