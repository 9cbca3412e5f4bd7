/** "Test set 18 / 100": how many labeled test items every figure on the page rests on, and what is still needed. */
export function TestSetIndicator({ n, target }: { n: number; target: number }) {
  const short = n < target;
  return (
    <p
      data-testid="test-set-indicator"
      className={`rounded-md px-3 py-2 text-sm ring-1 ring-inset ${short ? "bg-amber-50 text-amber-900 ring-amber-200" : "bg-zinc-50 text-zinc-700 ring-zinc-200"}`}
    >
      <span className="font-semibold">
        Test set {n.toLocaleString()} / {target.toLocaleString()}
      </span>{" "}
      {short
        ? `— metrics rest on ${n} labeled test item${n === 1 ? "" : "s"}; ${target - n} more are needed (the queue serves test items first until then). Intervals are 95%.`
        : "labeled test items: every version is measured on these same items. Intervals are 95%."}
    </p>
  );
}
