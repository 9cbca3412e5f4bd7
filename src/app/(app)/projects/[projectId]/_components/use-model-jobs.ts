"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC } from "@/trpc/react";

const MODEL_JOBS = new Set(["train", "score"]);
const isLive = (state: string) => state === "queued" || state === "running";

/**
 * The project's training/scoring work in flight (polled fast while some runs, slowly otherwise, since annotators'
 * labels queue retrains too), and the latest finished training if it failed. When the work ends, the model
 * queries are refreshed so a new version shows up without a reload.
 */
export function useModelJobs(projectId: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const jobs = useQuery({
    ...trpc.jobs.list.queryOptions({ projectId, limit: 20 }),
    refetchInterval: (query) =>
      query.state.data?.some((j) => MODEL_JOBS.has(j.type) && isLive(j.state)) ? 1500 : 15_000,
  });
  const modelJobs = jobs.data?.filter((j) => MODEL_JOBS.has(j.type)) ?? [];
  const live = modelJobs.find((j) => isLive(j.state)) ?? null;
  const lastTrain = modelJobs.find((j) => j.type === "train") ?? null;
  const failedTrain = lastTrain?.state === "failed" ? lastTrain : null;

  const liveKey = live ? `${live.id}:${live.state}` : null;
  const previous = useRef<string | null>(null);
  useEffect(() => {
    // A train job that finishes has written a version (and queued scoring); a score job updates nothing we show
    // but the version list is cheap, so refresh on any transition.
    if (previous.current !== liveKey) void queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
    previous.current = liveKey;
  }, [liveKey, queryClient, trpc]);

  return {
    live,
    lastTrain,
    failedTrain,
    refresh: () => queryClient.invalidateQueries({ queryKey: trpc.jobs.list.queryKey({ projectId, limit: 20 }) }),
  };
}
