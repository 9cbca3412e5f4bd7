"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";

const when = (date: Date | string | null) =>
  date ? new Date(date).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "never";

/** Keys for programs calling POST /api/v1/projects/{id}/classify; a new key is shown once, then only its prefix. */
export function ApiKeysCard({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ projectId }));
  const [name, setName] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey({ projectId }) });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: () => {
        setName("");
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: refresh }));
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const created = create.data;

  return (
    <Card title="API keys">
      <p className="mb-3 text-sm text-zinc-600">
        Programs classify texts with this project&apos;s active model through{" "}
        <code className="text-xs">POST /api/v1/projects/{projectId}/classify</code> (
        <a href="/api/v1/openapi.json" className="text-indigo-700 underline">
          OpenAPI
        </a>
        ).
      </p>
      <form
        aria-label="New API key"
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ projectId, name });
        }}
      >
        <div className="flex-1">
          <TextField
            label="Key name"
            placeholder="e.g. support-router"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <Button type="submit" variant="secondary" disabled={create.isPending}>
          Create key
        </Button>
      </form>
      {create.error ? <InlineError error={create.error} className="mt-2" /> : null}
      {created ? (
        <div
          className="mt-3 space-y-2 rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200"
          role="status"
          aria-label="New key"
        >
          <p className="text-amber-900">Copy “{created.name}” now: it is stored hashed and will not be shown again.</p>
          <code
            data-testid="new-api-key"
            className="block rounded bg-white px-2 py-1 font-mono text-xs break-all ring-1 ring-amber-200"
          >
            {created.key}
          </code>
          <pre className="overflow-x-auto rounded bg-zinc-950 p-2 font-mono text-[11px] leading-5 text-zinc-100">
            {`curl -s ${origin}/api/v1/projects/${projectId}/classify \\\n  -H "Authorization: Bearer ${created.key}" \\\n  -H "Content-Type: application/json" -d '{"texts": ["meow", "woof"]}'`}
          </pre>
        </div>
      ) : null}
      {keys.data?.length ? (
        <ul className="mt-4 divide-y divide-zinc-100" aria-label="API keys">
          {keys.data.map((k) => (
            <li key={k.id} className="flex items-center gap-3 py-2 text-sm">
              <div className="min-w-0 flex-1">
                <p className="font-medium text-zinc-900">
                  {k.name} <span className="font-mono text-xs text-zinc-500">{k.prefix}…</span>
                </p>
                <p className="text-xs text-zinc-500">
                  created {when(k.createdAt)} · last used {when(k.lastUsedAt)}
                </p>
              </div>
              {k.revokedAt ? (
                <Badge>revoked</Badge>
              ) : (
                <Button
                  variant="danger"
                  disabled={revoke.isPending}
                  onClick={() => revoke.mutate({ id: k.id })}
                  aria-label={`Revoke ${k.name}`}
                >
                  Revoke
                </Button>
              )}
            </li>
          ))}
        </ul>
      ) : keys.data ? (
        <p className="mt-4 text-sm text-zinc-500">No keys yet.</p>
      ) : null}
      {revoke.error ? <InlineError error={revoke.error} className="mt-2" /> : null}
    </Card>
  );
}
