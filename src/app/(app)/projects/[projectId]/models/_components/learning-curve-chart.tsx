"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RouterOutputs } from "@/trpc/router-outputs";
import { percent } from "../../_components/format-metric";

type Point = RouterOutputs["models"]["learningCurve"]["points"][number];

/** Human labels used → test macro-F1, one dot per version; the summary sentence is what screen readers get. */
export function LearningCurveChart({ points, axis }: { points: Point[]; axis: "human" | "all" }) {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const unit = axis === "human" ? "human labels" : "labels";
  const summary =
    points.length === 1
      ? `One version so far: test macro-F1 ${percent(first.macroF1)} with ${first.labels} ${unit}.`
      : `Test macro-F1 went from ${percent(first.macroF1)} with ${first.labels} ${unit} (v${first.number}) to ${percent(last.macroF1)} with ${last.labels} ${unit} (v${last.number}) over ${points.length} versions.`;
  const data = points.map((p) => ({ labels: p.labels, f1: p.macroF1 * 100, number: p.number, testItems: p.testItems }));
  return (
    <figure>
      <div role="img" aria-label={summary} className="h-64 w-full">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 256 }}>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 20, left: 0 }}>
            <CartesianGrid stroke="#e4e4e7" strokeDasharray="3 3" />
            <XAxis
              dataKey="labels"
              type="number"
              domain={["dataMin", "dataMax"]}
              tick={{ fontSize: 12, fill: "#52525b" }}
              label={{
                value: axis === "human" ? "Human labels used for training" : "Labels used for training",
                position: "insideBottom",
                offset: -12,
                fontSize: 12,
                fill: "#52525b",
              }}
              allowDecimals={false}
            />
            <YAxis
              domain={[
                (min: number) => Math.max(0, Math.floor(min / 10) * 10),
                (max: number) => Math.min(100, Math.ceil(max / 10) * 10),
              ]}
              tickFormatter={(v: number) => `${v}%`}
              tick={{ fontSize: 12, fill: "#52525b" }}
              width={48}
            />
            <Tooltip
              formatter={(value) => [`${Number(value).toFixed(1)}%`, "Test macro-F1"]}
              labelFormatter={(label, payload) => {
                const p = payload?.[0]?.payload as { number: number; testItems: number } | undefined;
                return p ? `v${p.number} · ${label} ${unit} · ${p.testItems} test items` : `${label} ${unit}`;
              }}
            />
            <Line
              type="linear"
              dataKey="f1"
              stroke="#4f46e5"
              strokeWidth={2}
              dot={{ r: 4, fill: "#4f46e5" }}
              activeDot={{ r: 6 }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  );
}
