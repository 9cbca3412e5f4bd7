/**
 * A confusion matrix as a real table (row = true class, column = predicted class) whose cells are shaded by their
 * share of the row, so a class's recall reads along its row whatever its size; counts stay in the cells.
 */
export function ConfusionMatrix({
  labels,
  matrix,
  caption,
}: {
  labels: string[];
  matrix: number[][];
  caption: string;
}) {
  return (
    // Focusable so keyboard users can scroll it sideways on a narrow screen (a matrix has no links of its own).
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={`${caption}, scrolls sideways`}>
      <table className="border-separate border-spacing-1 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="px-2 py-1 text-left align-bottom text-xs font-medium text-zinc-500">
              True ↓ / Predicted →
            </th>
            {labels.map((label) => (
              <th
                key={label}
                scope="col"
                className="max-w-28 truncate px-2 py-1 text-center align-bottom text-xs font-medium text-zinc-700"
                title={label}
              >
                {label}
              </th>
            ))}
            <th scope="col" className="px-2 py-1 text-right align-bottom text-xs font-medium text-zinc-500">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, r) => {
            const total = row.reduce((a, b) => a + b, 0);
            return (
              <tr key={labels[r] ?? r}>
                <th
                  scope="row"
                  className="max-w-40 truncate px-2 py-1 text-left text-xs font-medium text-zinc-700"
                  title={labels[r]}
                >
                  {labels[r]}
                </th>
                {row.map((count, c) => {
                  const share = total > 0 ? count / total : 0;
                  const diagonal = r === c;
                  // Correct cells in indigo, errors in red; alpha scales with the share of the row.
                  const rgb = diagonal ? "67 56 202" : "185 28 28";
                  // White text only where the fill is dark enough for it (WCAG AA against the blended colour).
                  const strong = share >= 0.7;
                  return (
                    <td
                      key={c}
                      className={`h-12 min-w-16 rounded-md text-center tabular-nums ${strong ? "font-semibold text-white" : count > 0 ? "text-zinc-900" : "text-zinc-400"}`}
                      style={{
                        backgroundColor:
                          count > 0 ? `rgb(${rgb} / ${(0.06 + share * 0.94).toFixed(3)})` : "rgb(244 244 245)",
                      }}
                      title={`True ${labels[r]}, predicted ${labels[c]}: ${count} (${(share * 100).toFixed(0)}% of the row)`}
                    >
                      {count}
                    </td>
                  );
                })}
                <td className="px-2 text-right text-xs text-zinc-500 tabular-nums">{total}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
