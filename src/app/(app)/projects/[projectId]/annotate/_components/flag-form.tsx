"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";

/** Asks an admin to look at the item on screen, with a comment; the item is then skipped. */
export function FlagForm({
  projectId,
  itemId,
  onFlagged,
  onCancel,
}: {
  projectId: number;
  itemId: number;
  onFlagged: (comment: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const [comment, setComment] = useState("");
  const flag = useMutation(trpc.flags.create.mutationOptions({ onSuccess: (f) => onFlagged(f.comment) }));
  return (
    <form
      aria-label="Flag for review"
      className="space-y-2 rounded-lg bg-amber-50 p-3 ring-1 ring-amber-200"
      onSubmit={(e) => {
        e.preventDefault();
        flag.mutate({ projectId, itemId, comment });
      }}
    >
      <label className="block text-sm font-medium text-amber-900" htmlFor="flag-comment">
        What should an admin look at?
      </label>
      <textarea
        id="flag-comment"
        rows={2}
        required
        maxLength={1000}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        className="block w-full rounded-md border-0 px-2 py-1.5 text-sm ring-1 ring-amber-300 ring-inset"
        placeholder="e.g. the text is cut off; two classes fit equally"
      />
      {flag.error ? <InlineError error={flag.error} /> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={flag.isPending || comment.trim() === ""}>
          {flag.isPending ? "Flagging…" : "Flag and skip"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
