"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { errorMessage } from "@/trpc/error-message";
import { useTRPC } from "@/trpc/react";

type NextEntry = NonNullable<inferRouterOutputs<AppRouter>["queue"]["next"]>;
/** What the page shows: an item the queue handed out, or one the annotator reopened from their history. */
export type QueueEntry = NextEntry | (Omit<NextEntry, "reason"> & { reason: "reopened" });
export type Decision =
  | { action: "label"; classIds: number[] }
  | { action: "accept"; modelVersionId?: number }
  | { action: "skip"; reason: string; comment?: string };

// One item on screen plus one ready behind it: the switch after a decision needs no round trip.
const BUFFER = 2;

/**
 * The annotator's side of the queue. Items come leased from `queue.next`; the one on screen is buffer[0] and the
 * next is already fetched. A decision moves on at once and is saved in the background; the following prefetch
 * waits for the save, because until it commits the saved item is still leased to this annotator and `queue.next`
 * would hand it back.
 */
export function useAnnotationQueue(projectId: number, mode: "learn" | "review-generated" = "learn") {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [buffer, setBufferState] = useState<QueueEntry[]>([]);
  // The buffer as of the last change, read by `decide`: a key pressed right after a decision must act on the item now
  // in front, not on the one a stale render still holds (which would label the previous item twice).
  const bufferRef = useRef<QueueEntry[]>([]);
  const setBuffer = useCallback((update: (b: QueueEntry[]) => QueueEntry[]) => {
    bufferRef.current = update(bufferRef.current);
    setBufferState(bufferRef.current);
  }, []);
  const [state, setState] = useState<"loading" | "ready" | "empty">("loading");
  const [remaining, setRemaining] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Stays until the annotator dismisses it (or a newer one replaces it): a notice that vanished at the next key
  // went unread.
  const [notice, setNotice] = useState<string | null>(null);
  // The version that ranked the last item handed out (null: no model yet); undefined until the first item.
  const rankedBy = useRef<number | null | undefined>(undefined);
  const [saving, setSaving] = useState(0);
  const shownAt = useRef(Date.now());
  const fetching = useRef(false);
  const pendingSave = useRef<Promise<unknown>>(Promise.resolve());

  const next = useMutation(trpc.queue.next.mutationOptions());
  const submit = useMutation(trpc.labels.submit.mutationOptions());
  const undo = useMutation(trpc.labels.undo.mutationOptions());

  const refreshProgress = useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.queue.progress.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.labels.mine.pathKey() }),
      ]),
    [queryClient, trpc],
  );

  const fill = useCallback(
    async (current: QueueEntry[]) => {
      if (fetching.current || current.length >= BUFFER) return;
      fetching.current = true;
      try {
        await pendingSave.current;
        const entry = await next.mutateAsync({ projectId, exclude: current.map((e) => e.item.id), mode });
        if (entry) {
          const version = entry.prediction?.modelVersionId ?? null;
          if (version !== null && rankedBy.current !== undefined && version !== rankedBy.current) {
            setNotice(
              `Model v${entry.prediction?.versionNumber} now ranks the queue: from here on you see the items it is least sure about.`,
            );
          }
          if (version !== null || rankedBy.current === undefined) rankedBy.current = version;
          setRemaining(entry.remaining);
          setBuffer((b) => (b.some((e) => e.item.id === entry.item.id) ? b : [...b, entry]));
        }
        setState((s) => (entry || current.length ? "ready" : s === "loading" || current.length === 0 ? "empty" : s));
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        fetching.current = false;
      }
    },
    [next, projectId, setBuffer, mode],
  );

  // Keep the buffer full: on start, and whenever a decision took the front item away.
  useEffect(() => {
    if (buffer.length < BUFFER && state !== "empty") void fill(buffer);
    if (buffer.length === 0 && state === "ready" && !fetching.current) setState("loading");
  }, [buffer, fill, state]);

  const current = buffer[0];
  // A layout effect: the time on an item starts when it is painted, and a decision right after reads the new start.
  useLayoutEffect(() => {
    shownAt.current = Date.now();
  }, [current?.item.id]);

  const decide = useCallback(
    (decision: Decision, itemId?: number) => {
      const current = bufferRef.current[0];
      // A decision made for an item that is no longer in front (a double press) is dropped, not applied to another.
      if (!current || (itemId !== undefined && itemId !== current.item.id)) return;
      setError(null);
      const durationMs = Math.min(Date.now() - shownAt.current, 86_400_000);
      const save = submit
        .mutateAsync({ projectId, itemId: current.item.id, durationMs, ...decision })
        .then((result) => {
          if (result.retrainQueued)
            setNotice("Enough new labels: a retrain is queued. The queue switches to the new model when it is ready.");
          void refreshProgress();
        })
        .catch((e: unknown) => {
          // The item stays leased to this annotator, so it comes back on the next fetch.
          setError(`Not saved: ${errorMessage(e)}`);
          setBuffer((b) => (b.some((x) => x.item.id === current.item.id) ? b : [current, ...b]));
        })
        .finally(() => setSaving((n) => n - 1));
      setSaving((n) => n + 1);
      pendingSave.current = save;
      if (current.reason !== "reopened") setRemaining((r) => (r === null ? r : Math.max(0, r - 1)));
      setBuffer((b) => b.filter((e) => e.item.id !== current.item.id));
    },
    [projectId, refreshProgress, setBuffer, submit],
  );

  const undoLast = useCallback(async () => {
    setError(null);
    try {
      await pendingSave.current;
      const undone = await undo.mutateAsync({ projectId });
      // The undone item is leased back to this annotator with the newest lease, so the queue returns it first.
      const entry = await next.mutateAsync({ projectId, exclude: [], mode });
      if (entry) {
        setBuffer((b) => [entry, ...b.filter((e) => e.item.id !== entry.item.id)]);
        setState("ready");
      }
      setRemaining((r) => (r === null || undone.labelStatus !== "unlabeled" ? r : r + 1));
      void refreshProgress();
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [next, projectId, refreshProgress, setBuffer, undo, mode]);

  const dismissNotice = useCallback(() => setNotice(null), []);

  /**
   * Puts an item the annotator decided on earlier back in front (from the history panel). The next decision on it
   * is an ordinary one: saved as a new annotation that supersedes the old one, which stays in the item's history
   * and the audit log. The item that was in front stays next.
   */
  const reopen = useCallback(
    async (entry: Omit<NextEntry, "reason" | "remaining">) => {
      setError(null);
      await pendingSave.current;
      setBuffer((b) => [
        { ...entry, reason: "reopened" as const, remaining: b[0]?.remaining ?? 0 },
        ...b.filter((e) => e.item.id !== entry.item.id),
      ]);
      setState("ready");
    },
    [setBuffer],
  );

  return {
    current,
    upNext: buffer[1],
    state,
    remaining,
    error,
    notice,
    dismissNotice,
    reopen,
    saving: saving > 0,
    decide,
    undo: undoLast,
    undoing: undo.isPending,
  };
}
