import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fitClassifier } from "@/ml/fit-classifier";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";

// Real AG News texts (tests/fixtures/README.md): the hybrid's selection on a first training, kept on a retrain.
const rows = fs
  .readFileSync(path.resolve(import.meta.dirname, "../../fixtures/ag-news-2000.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as { text: string; label: string });
const classes = [...new Set(rows.map((r) => r.label))].sort();

describe("fitClassifier with the n-gram block", () => {
  it(
    "searches C and α on a first training and keeps them on a retrain over about the same data",
    { timeout: 300_000 },
    async () => {
      const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });
      const fit = async (n: number, warmStart?: Parameters<typeof fitClassifier>[5]["warmStart"]) => {
        const sub = rows.slice(0, n);
        const texts = sub.map((r) => r.text);
        const X = await featurizer.embed(texts);
        const y = Int32Array.from(sub, (r) => classes.indexOf(r.label));
        return fitClassifier(
          X,
          n,
          featurizer.dim,
          classes,
          { task: "single-label", y },
          {
            featurizerId: "ngrams@1+glove-sif-200@1",
            seed: 1,
            warmStart,
            ngrams: { trainTexts: texts, dfTexts: rows.map((r) => r.text) },
          },
        );
      };
      const averaged = await fit(160);
      const chosen = averaged.model.metrics.selection as {
        C: number;
        blockWeight: number | null;
        mode: string;
        grid: unknown[];
        members?: unknown[];
      };
      expect(chosen.mode).toBe("folds");
      expect(chosen.grid.length).toBeGreaterThan(1);
      expect(averaged.oof?.proba.length).toBe(160 * classes.length);
      // k-fold mode served the average of the settings within one standard error: a retrain searches again rather
      // than serve the first member alone.
      expect(chosen.members?.length).toBeGreaterThan(1);
      const searchedAgain = await fit(176, averaged.model);
      expect((searchedAgain.model.metrics.selection as { grid: unknown[] }).grid.length).toBeGreaterThan(1);
      expect(searchedAgain.model.metrics.selectionInheritedFrom).toBeUndefined();

      // A version that served one setting (what holdout mode, above 3,000 rows, records) is kept on a retrain.
      type Model = typeof averaged.model;
      const singleSetting = (model: Model): Model => {
        const { members: _members, ...single } = model.metrics.selection as Record<string, unknown>;
        return { ...model, metrics: { ...model.metrics, selection: { ...single, scoring: "tempered-log-loss-1se" } } };
      };
      const retrain = await fit(176, singleSetting(averaged.model));
      const kept = retrain.model.metrics.selection as {
        C: number;
        blockWeight: number | null;
        mode: string;
        grid: unknown[];
      };
      expect(kept.C).toBe(chosen.C);
      expect(kept.mode).toBe("fixed"); // no search
      expect(retrain.model.metrics.selectionInheritedFrom).toEqual({ trainedRows: 160 });
      expect(retrain.oof?.proba.length).toBe(176 * classes.length); // calibration is still out-of-fold

      // Grown by less than a fifth from the previous version but more than a fifth since the search (160 → 176 → 192):
      // a fresh search; each step alone would have inherited the choice forever.
      const again = await fit(192, retrain.model);
      expect((again.model.metrics.selection as { grid: unknown[] }).grid.length).toBeGreaterThan(1);
      expect(again.model.metrics.selectionInheritedFrom).toBeUndefined();
      const next = await fit(208, singleSetting(again.model));
      expect(next.model.metrics.selectionInheritedFrom).toEqual({ trainedRows: 192 });

      // Grown by more than a fifth: a fresh search.
      const grown = await fit(240, retrain.model);
      const grownGrid = (grown.model.metrics.selection as { grid: { blockWeight: number | null }[] }).grid;
      expect(grownGrid.length).toBeGreaterThan(1);
      // Above DENSE_ALONE_UP_TO (200) rows the n-gram block always takes part; at 160 the dense block alone competed.
      expect(grownGrid.every((g) => g.blockWeight! > 0)).toBe(true);
      expect((chosen.grid as { blockWeight: number | null }[]).some((g) => g.blockWeight === 0)).toBe(true);
      expect(grown.model.metrics.selectionInheritedFrom).toBeUndefined();
    },
  );
});
