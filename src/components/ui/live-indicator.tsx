/** A pulsing dot and a status line for work in progress on the server; announced politely to screen readers. */
export function LiveIndicator({ children, tone = "indigo" }: { children: string; tone?: "indigo" | "amber" }) {
  const dot = tone === "indigo" ? "bg-indigo-500" : "bg-amber-500";
  return (
    <span role="status" aria-live="polite" className="inline-flex items-center gap-2 text-sm text-zinc-700">
      <span className="relative flex size-2.5" aria-hidden>
        <span className={`absolute inline-flex h-full w-full animate-ping rounded-full opacity-60 ${dot}`} />
        <span className={`relative inline-flex size-2.5 rounded-full ${dot}`} />
      </span>
      {children}
    </span>
  );
}
