"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  LabelList,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { RouterOutputs } from "@/trpc/router-outputs";

type Bin = NonNullable<NonNullable<RouterOutputs["models"]["get"]["metrics"]>["calibration"]>[number];

/**
 * Reliability diagram: per probability bin, how often the model was right (bars) against perfect calibration (the
 * dashed diagonal through the bins' midpoints). Bars under the line mean over-confidence. Counts sit on the bars,
 * since a bin of three predictions says little; the summary names the largest gap for screen readers.
 */
export function CalibrationChart({ bins, multiLabel }: { bins: Bin[]; multiLabel: boolean }) {
  const data = bins.map((b) => ({
    bin: `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}%`,
    accuracy: b.accuracy === null ? null : b.accuracy * 100,
    ideal: (b.from + b.to) * 50,
    confidence: b.confidence === null ? null : b.confidence * 100,
    count: b.count,
  }));
  const filled = bins.filter((b) => b.count > 0 && b.accuracy !== null && b.confidence !== null);
  const worst = filled.reduce<Bin | null>(
    (w, b) => (w === null || Math.abs(b.accuracy! - b.confidence!) > Math.abs(w.accuracy! - w.confidence!) ? b : w),
    null,
  );
  const total = bins.reduce((s, b) => s + b.count, 0);
  const what = multiLabel ? "every label's probability" : "the top class's confidence";
  const summary =
    `Reliability of ${what} over ${total} predictions in ${filled.length} non-empty bins.` +
    (worst
      ? ` Largest gap in the ${Math.round(worst.from * 100)}–${Math.round(worst.to * 100)}% bin: confidence ${(worst.confidence! * 100).toFixed(0)}%, observed ${(worst.accuracy! * 100).toFixed(0)}% (${worst.count} predictions).`
      : "");
  return (
    <figure className="space-y-2">
      <div role="img" aria-label={summary} className="h-64 w-full">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 256 }}>
          <ComposedChart data={data} margin={{ top: 20, right: 16, bottom: 20, left: 0 }}>
            <CartesianGrid stroke="#e4e4e7" strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="bin"
              tick={{ fontSize: 11, fill: "#52525b" }}
              label={{
                value: "Predicted probability",
                position: "insideBottom",
                offset: -12,
                fontSize: 12,
                fill: "#52525b",
              }}
            />
            <YAxis
              domain={[0, 100]}
              ticks={[0, 25, 50, 75, 100]}
              tickFormatter={(v: number) => `${v}%`}
              tick={{ fontSize: 12, fill: "#52525b" }}
              width={48}
            />
            <Tooltip
              formatter={(value, name) => [
                value === null || value === undefined ? "–" : `${Number(value).toFixed(1)}%`,
                name === "accuracy" ? "Observed accuracy" : "Perfect calibration",
              ]}
              labelFormatter={(label, payload) => {
                const p = payload?.[0]?.payload as { count: number; confidence: number | null } | undefined;
                return `${label} · ${p?.count ?? 0} predictions${p?.confidence != null ? ` · mean confidence ${p.confidence.toFixed(1)}%` : ""}`;
              }}
            />
            <Bar dataKey="accuracy" fill="#818cf8" radius={[3, 3, 0, 0]} isAnimationActive={false}>
              <LabelList
                dataKey="count"
                position="top"
                fontSize={11}
                fill="#52525b"
                formatter={(v) => (Number(v) > 0 ? `n=${String(v)}` : "")}
              />
            </Bar>
            <Line
              dataKey="ideal"
              stroke="#27272a"
              strokeDasharray="5 4"
              strokeWidth={1.5}
              dot={false}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="flex flex-wrap gap-x-5 gap-y-1 text-xs text-zinc-500">
        <span className="inline-flex items-center gap-1.5">
          <span className="h-2.5 w-3 rounded-sm bg-indigo-400" aria-hidden /> observed accuracy per bin
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span className="w-4 border-t-2 border-dashed border-zinc-800" aria-hidden /> perfect calibration (bars reach
          the line); n = predictions in the bin
        </span>
        <span className="sr-only">{summary}</span>
      </figcaption>
    </figure>
  );
}
