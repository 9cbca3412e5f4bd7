"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";

/** Which annotators may work on the project: they see it, its queue, items, models and jobs; nobody else does. */
export function MembersCard({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const people = useQuery(trpc.projects.members.queryOptions({ projectId }));
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const update = useMutation(
    trpc.projects.updateMembers.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.projects.members.queryKey({ projectId }), data);
        setChosen(new Set());
      },
    }),
  );

  const members = people.data?.filter((p) => p.member) ?? [];
  const others = people.data?.filter((p) => !p.member) ?? [];
  const toggle = (id: string) =>
    setChosen((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Card title="Members">
      <p className="mb-3 text-sm text-zinc-600">
        Annotators see and label only the projects they are members of. Admins see every project.
      </p>
      {people.error ? <InlineError error={people.error} /> : null}
      {people.data ? (
        <>
          <h3 className="text-xs font-semibold text-zinc-700 uppercase">
            {members.length} {members.length === 1 ? "member" : "members"}
          </h3>
          {members.length ? (
            <ul className="mt-1 divide-y divide-zinc-100" aria-label="Members">
              {members.map((m) => (
                <li key={m.id} className="flex items-center gap-3 py-2 text-sm">
                  <div className="min-w-0 flex-1">
                    <p className="font-medium break-words text-zinc-900">
                      {m.name} {m.disabledAt ? <Badge>disabled</Badge> : null}
                    </p>
                    <p className="text-xs break-all text-zinc-500">{m.email}</p>
                  </div>
                  <Button
                    variant="secondary"
                    disabled={update.isPending}
                    onClick={() => update.mutate({ projectId, remove: [m.id] })}
                    aria-label={`Remove ${m.name}`}
                  >
                    Remove
                  </Button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-zinc-500">No annotator can see this project yet.</p>
          )}
          {others.length ? (
            <form
              aria-label="Add members"
              className="mt-4 space-y-2"
              onSubmit={(e) => {
                e.preventDefault();
                update.mutate({ projectId, add: [...chosen] });
              }}
            >
              <fieldset className="space-y-1.5">
                <legend className="text-xs font-semibold text-zinc-700 uppercase">Other annotators</legend>
                {others.map((o) => (
                  <Checkbox
                    key={o.id}
                    label={o.name}
                    hint={o.disabledAt ? `${o.email} · disabled` : o.email}
                    checked={chosen.has(o.id)}
                    onChange={() => toggle(o.id)}
                  />
                ))}
              </fieldset>
              <div className="flex flex-wrap gap-2">
                <Button type="submit" variant="secondary" disabled={update.isPending || chosen.size === 0}>
                  Add selected
                </Button>
                <Button
                  type="button"
                  variant="secondary"
                  disabled={update.isPending}
                  onClick={() => update.mutate({ projectId, add: others.map((o) => o.id) })}
                >
                  Add all {others.length}
                </Button>
              </div>
            </form>
          ) : people.data.length === 0 ? (
            <p className="mt-3 text-sm text-zinc-500">
              There are no annotator accounts yet: create them on the{" "}
              <a href="/users" className="text-indigo-700 underline">
                Users
              </a>{" "}
              page.
            </p>
          ) : null}
          {update.error ? <InlineError error={update.error} className="mt-2" /> : null}
        </>
      ) : null}
    </Card>
  );
}
