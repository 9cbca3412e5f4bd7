"use client";

import { useId, useState, type DragEvent } from "react";

/** A drop zone that is also a file button (keyboard: Tab to it, Enter/Space opens the picker). */
/** `compact` once a file is chosen: the zone stays usable for another file without dominating the page. */
export function FileDrop({
  onFile,
  accept,
  hint,
  disabled = false,
  compact = false,
}: {
  onFile: (file: File) => void;
  accept?: string;
  hint?: string;
  disabled?: boolean;
  compact?: boolean;
}) {
  const id = useId();
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent<HTMLLabelElement>) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file && !disabled) onFile(file);
  };
  return (
    <label
      htmlFor={id}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      className={`flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed px-6 text-center ${compact ? "py-3" : "py-10"} transition-colors focus-within:border-indigo-500 ${over ? "border-indigo-500 bg-indigo-50" : "border-zinc-300 bg-white hover:border-zinc-400"} ${disabled ? "pointer-events-none opacity-60" : ""}`}
    >
      {compact ? null : (
        <svg
          aria-hidden
          viewBox="0 0 24 24"
          className="mb-2 h-8 w-8 text-zinc-400"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
        >
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2"
          />
        </svg>
      )}
      <span className="text-sm font-medium text-zinc-800">
        {compact ? "Drop another file or " : "Drop a file here or "}
        <span className="text-indigo-600 underline">choose {compact ? "another" : "one"}</span>
      </span>
      {hint && !compact ? <span className="mt-1 text-xs text-zinc-500">{hint}</span> : null}
      <input
        id={id}
        type="file"
        accept={accept}
        disabled={disabled}
        className="sr-only"
        aria-label="File to import"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) onFile(file);
          event.target.value = "";
        }}
      />
    </label>
  );
}
