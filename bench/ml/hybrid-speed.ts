/**
 * Training time of the default learner on a 15,000-text, 151-class set (bench/ml/hybrid-training-speed.ts); the same
 * measurement `npm run bench:ml -- --only speed` reports. Not in CI:
 *   npx tsx bench/ml/hybrid-speed.ts [rows] [--sparse-only]
 */
import os from "node:os";
import path from "node:path";
import { measureHybridTraining, phaseSeconds } from "./hybrid-training-speed";

const r = await measureHybridTraining({
  rows: Number(process.argv[2] ?? 15000),
  cacheDir: path.resolve(".margin/cache"),
  sparseOnly: process.argv.includes("--sparse-only"),
  log: (l) => console.log(l),
});
const phases = Object.entries(phaseSeconds(r.fits))
  .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
  .join(", ");
console.log(
  `${r.rows} texts × ${r.classes} classes (V ${r.vocabulary}, ${r.nnzPerRow.toFixed(0)} n-grams per text): features ${r.featureSeconds.toFixed(1)} s, train ${r.trainSeconds.toFixed(1)} s (${phases}); final fit ${r.final.iterations} iterations (${r.final.reason}); chose C ${r.selection.C}, α ${r.selection.blockWeight} (${r.selection.mode}); artifact ${r.artifactMB.toFixed(2)} MB; CPU ${r.trainCpuSeconds.process.toFixed(1)} s (calling thread ${r.trainCpuSeconds.mainThread.toFixed(1)} s); load ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(" / ")}`,
);
process.exit(0);
