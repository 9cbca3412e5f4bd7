import type { Strategy } from "@/ml/uncertainty";
import type { Strategy as ProjectStrategy } from "@/generated/prisma/client";

const singleLabel = {
  margin: "margin",
  margin_diversity: "margin",
  least_confidence: "least-confidence",
  entropy: "entropy",
  random: "random",
} as const satisfies Record<ProjectStrategy, Strategy>;

/**
 * The priority a project's strategy ranks its queue by: multi-label projects rank by the label closest to its
 * threshold under every strategy but random (margin + diversity adds its diverse head after scoring).
 */
export function queueStrategy(strategy: ProjectStrategy, multiLabel: boolean): Strategy {
  return strategy === "random" ? "random" : multiLabel ? "threshold-margin" : singleLabel[strategy];
}
