"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextAreaField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { Markdown } from "@/components/ui/markdown";
import { useTRPC } from "@/trpc/react";
import { GuidelinesView } from "./guidelines-view";

/**
 * The project's guidelines on the Overview: everyone reads them; admins edit the instructions (Markdown) and remove
 * examples (examples are added from an item's page). Every change is a new revision.
 */
export function GuidelinesCard({ projectId, isAdmin }: { projectId: number; isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const guidelines = useQuery(trpc.guidelines.get.queryOptions({ projectId }));
  const [draft, setDraft] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.guidelines.get.queryKey({ projectId }) });
  const save = useMutation(
    trpc.guidelines.updateInstructions.mutationOptions({
      onSuccess: (result) => {
        setSaved(result.revision);
        setDraft(null);
        void invalidate();
      },
    }),
  );
  const remove = useMutation(trpc.guidelines.removeExample.mutationOptions({ onSuccess: () => void invalidate() }));
  const g = guidelines.data;

  return (
    <Card
      title={g ? `Guidelines · revision ${g.revision}` : "Guidelines"}
      actions={
        isAdmin && g && draft === null ? (
          <Button variant="secondary" onClick={() => setDraft(g.instructions)}>
            Edit instructions
          </Button>
        ) : null
      }
    >
      {guidelines.error ? <InlineError error={guidelines.error} /> : null}
      {g && draft !== null ? (
        <form
          aria-label="Guideline instructions"
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ projectId, instructions: draft });
          }}
        >
          <TextAreaField
            label="Instructions (Markdown)"
            rows={8}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            hint="Shown to annotators when a session starts, in the Annotate side panel and on ?. Headings, lists, **bold**, links; raw HTML is shown as text."
          />
          {draft.trim() ? (
            <div className="rounded-md bg-zinc-50 p-3 ring-1 ring-zinc-200" aria-label="Preview">
              <p className="mb-1 text-xs font-medium text-zinc-600">Preview</p>
              <Markdown source={draft} />
            </div>
          ) : null}
          {save.error ? <InlineError error={save.error} /> : null}
          <div className="flex gap-2">
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save instructions"}
            </Button>
            <Button variant="ghost" onClick={() => setDraft(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
      {saved !== null && draft === null ? (
        <p role="status" className="mb-3 text-sm text-emerald-700">
          Saved as revision {saved}.
        </p>
      ) : null}
      {g && draft === null ? (
        <>
          {!g.instructions.trim() ? (
            <p className="mb-3 text-sm text-zinc-600">
              {isAdmin
                ? "No project instructions yet: annotators see only the class descriptions below."
                : "No project instructions yet."}
            </p>
          ) : null}
          <GuidelinesView guidelines={g} />
          {isAdmin && g.classes.some((c) => c.examples.length || c.counterExamples.length) ? (
            <details className="mt-3 text-xs text-zinc-600">
              <summary className="cursor-pointer">Remove examples</summary>
              <ul className="mt-2 space-y-1">
                {g.classes.flatMap((c) =>
                  [...c.examples, ...c.counterExamples].map((e) => (
                    <li key={e.id} className="flex items-center gap-2">
                      <span className="min-w-0 flex-1 truncate">
                        {c.name} · {e.kind === "example" ? "example" : "counter-example"}: “{e.text}”
                      </span>
                      <Button
                        variant="ghost"
                        onClick={() => remove.mutate({ projectId, exampleId: e.id })}
                        disabled={remove.isPending}
                      >
                        Remove
                        <span className="sr-only">
                          {" "}
                          “{e.text}” from {c.name}
                        </span>
                      </Button>
                    </li>
                  )),
                )}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}
