"use client";

import { CartesianGrid, Line, LineChart, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RouterOutputs } from "@/trpc/router-outputs";
import { decimal, percent } from "../../_components/format-metric";

type Metrics = NonNullable<RouterOutputs["models"]["get"]["metrics"]>;
type Curve = NonNullable<Metrics["prCurves"]>[number];
type ClassRow = NonNullable<Metrics["test"]>["perClass"][number];

/**
 * One precision–recall curve per class (one-vs-rest on the calibrated probability), as small multiples so that
 * classes do not hide each other. Marked on each: where the model's actual decisions land (the dot) and, when the
 * class has a decision threshold, the curve's point at that threshold (the ring).
 */
export function PrCurvesChart({
  curves,
  perClass,
  colorOf,
}: {
  curves: Curve[];
  perClass: ClassRow[];
  colorOf: Map<string, string>;
}) {
  return (
    <div className="space-y-3">
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {curves.map((curve) => (
          <ClassCurve
            key={curve.class}
            curve={curve}
            row={perClass.find((c) => c.label === curve.class)}
            color={colorOf.get(curve.class) ?? "#4f46e5"}
          />
        ))}
      </div>
      <p className="flex flex-wrap gap-x-5 gap-y-1 text-xs text-zinc-500">
        <span>Precision (up) against recall (across), one class against the rest.</span>
        <span className="inline-flex items-center gap-1.5">
          <span className="size-2.5 rounded-full bg-zinc-800" aria-hidden /> the model&apos;s decisions (precision and
          recall on the test split)
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span className="size-2.5 rounded-full border-2 border-amber-500" aria-hidden /> the class&apos;s decision
          threshold, when one is set
        </span>
      </p>
    </div>
  );
}

function ClassCurve({ curve, row, color }: { curve: Curve; row: ClassRow | undefined; color: string }) {
  const data = curve.points.map((p) => ({ recall: p.recall, precision: p.precision, threshold: p.threshold }));
  // Thresholds are descending along the curve: the last point still at or above the threshold is where it cuts.
  const atThreshold = curve.threshold > 0 ? [...data].reverse().find((p) => p.threshold >= curve.threshold) : undefined;
  const summary =
    `${curve.class}: average precision ${decimal(curve.averagePrecision, 2)} over ${curve.positives} positive test items` +
    (row ? `; the model's decisions reach precision ${percent(row.precision)} and recall ${percent(row.recall)}` : "") +
    (atThreshold
      ? `; at threshold ${curve.threshold.toFixed(2)}, precision ${percent(atThreshold.precision)} and recall ${percent(atThreshold.recall)}`
      : "") +
    ".";
  return (
    <figure className="rounded-md ring-1 ring-zinc-100">
      <figcaption className="flex items-baseline justify-between gap-2 px-3 pt-2">
        <span className="inline-flex items-center gap-2 text-sm font-medium text-zinc-800">
          <span className="size-2.5 rounded-full" style={{ backgroundColor: color }} aria-hidden />
          {curve.class}
        </span>
        <span className="text-xs text-zinc-500">AP {decimal(curve.averagePrecision, 2)}</span>
      </figcaption>
      <div role="img" aria-label={summary} className="h-48 w-full">
        {curve.positives === 0 ? (
          <p className="p-3 text-sm text-zinc-500">No positive test items for this class.</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 300, height: 192 }}>
            <LineChart data={data} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
              <CartesianGrid stroke="#f4f4f5" />
              <XAxis
                dataKey="recall"
                type="number"
                domain={[0, 1]}
                ticks={[0, 0.5, 1]}
                tick={{ fontSize: 11, fill: "#52525b" }}
                label={{ value: "Recall", position: "insideBottom", offset: -8, fontSize: 11, fill: "#52525b" }}
              />
              <YAxis
                type="number"
                domain={[0, 1]}
                ticks={[0, 0.5, 1]}
                tick={{ fontSize: 11, fill: "#52525b" }}
                width={32}
              />
              <Tooltip
                formatter={(value, name) => [percent(Number(value)), name === "precision" ? "Precision" : String(name)]}
                labelFormatter={(_label, payload) => {
                  const p = payload?.[0]?.payload as { recall: number; threshold: number } | undefined;
                  return p ? `Recall ${percent(p.recall)} · threshold ${p.threshold.toFixed(3)}` : "";
                }}
              />
              <Line
                type="stepAfter"
                dataKey="precision"
                stroke={color}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
              {row ? (
                <ReferenceDot x={row.recall} y={row.precision} r={5} fill="#27272a" stroke="#fff" strokeWidth={1.5} />
              ) : null}
              {atThreshold ? (
                <ReferenceDot
                  x={atThreshold.recall}
                  y={atThreshold.precision}
                  r={7}
                  fill="none"
                  stroke="#f59e0b"
                  strokeWidth={2.5}
                />
              ) : null}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
}
