"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { errorMessage } from "@/trpc/error-message";
import { useTRPC } from "@/trpc/react";

type Form = {
  chatModel: string;
  baseUrl: string;
  temperature: string;
  priceInputPerMTok: string;
  priceOutputPerMTok: string;
};

/** Per-project overrides of the server's LLM settings. Keys stay in the server's environment, never here. */
export function LlmSettingsForm({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.llm.status.queryOptions({ projectId }));
  const [form, setForm] = useState<Form | null>(null);
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.llm.updateSettings.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void queryClient.invalidateQueries({ queryKey: trpc.llm.pathKey() });
      },
    }),
  );
  useEffect(() => {
    if (!status.data || form) return;
    const s = status.data.settings ?? {};
    const num = (v: number | undefined) => (v === undefined ? "" : String(v));
    setForm({
      chatModel: s.chatModel ?? "",
      baseUrl: s.baseUrl ?? "",
      temperature: num(s.temperature),
      priceInputPerMTok: num(s.priceInputPerMTok),
      priceOutputPerMTok: num(s.priceOutputPerMTok),
    });
  }, [status.data, form]);

  if (status.isPending || !form) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (status.error) return <InlineError error={status.error} />;
  const set = (key: keyof Form, value: string) => {
    setSaved(false);
    setForm((f) => (f ? { ...f, [key]: value } : f));
  };
  const optionalNumber = (v: string) => (v.trim() === "" ? undefined : Number(v));
  const optionalText = (v: string) => (v.trim() === "" ? undefined : v.trim());

  return (
    <Card title="Language model for this project">
      <p className="mb-4 text-sm text-zinc-600">
        {status.data.configured ? (
          <>
            Using <strong>{status.data.config.chatModel}</strong> at {status.data.config.endpoint}. Leave a field empty
            to use the server's setting.
          </>
        ) : (
          status.data.reason
        )}
      </p>
      <form
        aria-label="LLM settings"
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({
            projectId,
            settings: {
              chatModel: optionalText(form.chatModel),
              baseUrl: optionalText(form.baseUrl),
              temperature: optionalNumber(form.temperature),
              priceInputPerMTok: optionalNumber(form.priceInputPerMTok),
              priceOutputPerMTok: optionalNumber(form.priceOutputPerMTok),
            },
          });
        }}
      >
        <TextField
          label="Chat model"
          placeholder="server default"
          value={form.chatModel}
          onChange={(e) => set("chatModel", e.target.value)}
        />
        <TextField
          label="Endpoint (OpenAI-compatible base URL)"
          placeholder="server default"
          value={form.baseUrl}
          onChange={(e) => set("baseUrl", e.target.value)}
          hint="The server's API key is sent only to the server's own endpoint."
        />
        <TextField
          label="Temperature"
          type="number"
          step="0.1"
          min={0}
          max={2}
          placeholder="0.7"
          value={form.temperature}
          onChange={(e) => set("temperature", e.target.value)}
        />
        <div className="grid grid-cols-2 gap-3">
          <TextField
            label="$ per 1M input tokens"
            type="number"
            step="any"
            min={0}
            value={form.priceInputPerMTok}
            onChange={(e) => set("priceInputPerMTok", e.target.value)}
          />
          <TextField
            label="$ per 1M output tokens"
            type="number"
            step="any"
            min={0}
            value={form.priceOutputPerMTok}
            onChange={(e) => set("priceOutputPerMTok", e.target.value)}
          />
        </div>
        <div className="flex items-center gap-3">
          <Button type="submit" variant="secondary" disabled={update.isPending}>
            Save LLM settings
          </Button>
          {saved ? (
            <span className="text-sm text-emerald-700" role="status">
              Saved
            </span>
          ) : null}
          {update.error ? (
            <span className="text-sm text-red-600" role="alert">
              {errorMessage(update.error)}
            </span>
          ) : null}
        </div>
      </form>
    </Card>
  );
}
