"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { InlineError } from "@/components/ui/inline-error";
import { Kbd } from "@/components/ui/kbd";
import { useTRPC } from "@/trpc/react";
import { ClassChoices, type ChoiceClass } from "./class-choices";
import { GuidelinesView } from "../../_components/guidelines-view";
import { GuidelinesDialog } from "./guidelines-dialog";
import { FlagForm } from "./flag-form";
import { HistoryPanel } from "./history-panel";
import { ProgressStrip } from "./progress-strip";
import { ReasonBadge } from "./reason-badge";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { useAnnotationQueue } from "./use-annotation-queue";

const SKIP_REASONS = ["Unsure", "Fits no class", "Unreadable or spam"] as const;

/** Keys 1–9 choose classes by position unless a class claims the digit as its own hotkey. */
function keyMap(classes: ChoiceClass[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const c of classes) if (c.hotkey) map.set(c.hotkey.toLowerCase(), c.id);
  classes.slice(0, 9).forEach((c, i) => {
    const digit = String(i + 1);
    if (!map.has(digit)) map.set(digit, c.id);
  });
  return map;
}

export type QueueMode = "learn" | "review-generated";

export function AnnotationWorkbench({
  projectId,
  mode = "learn",
  isAdmin,
}: {
  projectId: number;
  mode?: QueueMode;
  isAdmin: boolean;
}) {
  const trpc = useTRPC();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const queue = useAnnotationQueue(projectId, mode);
  const guidelines = useQuery(trpc.guidelines.get.queryOptions({ projectId }));
  const [showHelp, setShowHelp] = useState(false);
  const guidelinesPrompt = useGuidelinesAtSessionStart(projectId, guidelines.data?.revision);
  const [skipReason, setSkipReason] = useState<string>(SKIP_REASONS[0]);
  const [skipComment, setSkipComment] = useState("");
  const [flagging, setFlagging] = useState(false);
  // Multi-label selection, tied to the item it was made on: a new item starts from the model's guess without
  // waiting for an effect (Enter pressed right after the switch must not submit the previous item's selection).
  const [selection, setSelection] = useState<{ itemId: number; classIds: number[] } | null>(null);

  const classes: ChoiceClass[] = useMemo(() => project.data?.classes ?? [], [project.data]);
  const keys = useMemo(() => keyMap(classes), [classes]);
  const keyOf = useMemo(() => new Map([...keys].map(([k, id]) => [id, k] as const).reverse()), [keys]);
  const multilabel = project.data?.taskType === "multilabel";
  const { current } = queue;
  const predicted = useMemo(() => current?.prediction?.predictedClassIds ?? [], [current]);
  // Reviewing a generated example, Enter confirms the label the LLM wrote it for (the model's guess may differ).
  const reviewing =
    current?.reason === "review" ||
    (mode === "review-generated" && current?.item.source === "generated" && current.item.labelStatus === "labeled");
  const proposed = useMemo(
    () => (reviewing && current ? current.item.labelClassIds : predicted),
    [reviewing, current, predicted],
  );

  // Multi-label starts from the model's guess: Enter accepts it as is, keys toggle what is wrong.
  const toggled = useMemo(
    () =>
      selection && current && selection.itemId === current.item.id ? selection.classIds : multilabel ? proposed : [],
    [selection, current, multilabel, proposed],
  );
  const toggle = (classId: number) => {
    if (!current) return;
    setSelection({
      itemId: current.item.id,
      classIds: toggled.includes(classId) ? toggled.filter((id) => id !== classId) : [...toggled, classId],
    });
  };

  // Keyboard focus goes to the item each time one is shown: Enter must submit, not re-click the tab or class button
  // that kept focus after a click (a focused control would take Enter for itself). Form fields keep their focus.
  const articleRef = useRef<HTMLElement>(null);
  const shownItemId = current?.item.id;
  useLayoutEffect(() => {
    const active = document.activeElement as HTMLElement | null;
    if (shownItemId === undefined || (active && ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName))) return;
    articleRef.current?.focus({ preventScroll: true });
  }, [shownItemId]);

  // One listener for the page's life; the handler it calls is replaced in a layout effect, i.e. before the browser
  // handles the next key, so a key pressed right after a switch sees the item now on screen.
  const onKeyRef = useRef<(event: KeyboardEvent) => void>(() => undefined);
  useLayoutEffect(() => {
    onKeyRef.current = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      const key = event.key.toLowerCase();
      // While the session's guidelines are open, keys belong to the dialog: nothing is labeled unread.
      if (guidelinesPrompt.open) {
        // Enter or Escape closes them wherever focus is (the item may have taken it when it arrived).
        if (key === "escape" || key === "enter") {
          event.preventDefault();
          guidelinesPrompt.dismiss();
        }
        return;
      }
      if (key === "?") {
        event.preventDefault();
        setShowHelp((v) => !v);
        return;
      }
      if (key === "escape") {
        setShowHelp(false);
        return;
      }
      if (key === "z" || key === "backspace") {
        event.preventDefault();
        if (!queue.undoing) void queue.undo();
        return;
      }
      if (!current) return;
      const itemId = current.item.id;
      if (key === " ") {
        event.preventDefault();
        queue.decide(
          { action: "skip", reason: skipReason, ...(skipComment.trim() ? { comment: skipComment.trim() } : {}) },
          itemId,
        );
        setSkipComment("");
        return;
      }
      if (key === "enter") {
        // A focused button handles Enter itself.
        if (target?.tagName === "BUTTON" || target?.tagName === "A") return;
        event.preventDefault();
        if (multilabel) queue.decide({ action: "label", classIds: toggled }, itemId);
        else if (reviewing && proposed.length) queue.decide({ action: "label", classIds: proposed }, itemId);
        else if (current.prediction)
          queue.decide({ action: "accept", modelVersionId: current.prediction.modelVersionId }, itemId);
        return;
      }
      const classId = keys.get(key);
      if (classId === undefined) return;
      event.preventDefault();
      if (multilabel) toggle(classId);
      else queue.decide({ action: "label", classIds: [classId] }, itemId);
    };
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => onKeyRef.current(event);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  if (project.isPending) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (project.error) return <InlineError error={project.error} />;
  if (classes.length === 0) {
    return (
      <EmptyState title="This project has no classes yet">
        An admin adds classes (a name and a description each) on the{" "}
        <Link href={`/projects/${projectId}`} className="text-indigo-600 underline">
          overview
        </Link>
        .
      </EmptyState>
    );
  }

  const nameOf = new Map(classes.map((c) => [c.id, c.name]));
  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="space-y-4">
        <QueueTabs projectId={projectId} mode={mode} />
        <ProgressStrip
          projectId={projectId}
          queueRemaining={queue.remaining}
          reviewing={mode === "review-generated"}
          saving={queue.saving}
        />
        {queue.error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200">
            {queue.error}
          </p>
        ) : null}
        {queue.notice ? (
          <div
            role="status"
            className="flex items-start gap-3 rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-800 ring-1 ring-indigo-200"
          >
            <p className="flex-1">{queue.notice}</p>
            <button
              type="button"
              onClick={queue.dismissNotice}
              className="shrink-0 rounded px-1.5 text-xs font-medium text-indigo-800 underline hover:bg-indigo-100"
            >
              Dismiss
            </button>
          </div>
        ) : null}
        {queue.state === "empty" && !current ? (
          mode === "review-generated" ? (
            <EmptyState title="No generated examples left to review">
              Every generated example has been confirmed or corrected, or is held by another annotator. Back to the{" "}
              <Link href={`/projects/${projectId}/annotate`} className="text-indigo-600 underline">
                learning queue
              </Link>
              .
            </EmptyState>
          ) : (
            <EmptyState title="Nothing left to label">
              Every item is labeled or held by another annotator.{" "}
              {isAdmin ? (
                <>
                  Import more texts on the{" "}
                  <Link href={`/projects/${projectId}/import`} className="text-indigo-600 underline">
                    Import
                  </Link>{" "}
                  page, or come back when leases expire.
                </>
              ) : (
                "Come back when leases expire, or ask an admin to add more texts."
              )}
            </EmptyState>
          )
        ) : !current ? (
          <div
            className="h-64 animate-pulse rounded-lg bg-white ring-1 ring-zinc-200"
            aria-busy="true"
            aria-label="Loading the next item"
          />
        ) : (
          <article
            ref={articleRef}
            tabIndex={-1}
            className="rounded-lg bg-white shadow-xs ring-1 ring-zinc-200 focus:outline-none"
            aria-label="Item to label"
            aria-describedby="item-text"
          >
            <header className="flex flex-wrap items-center gap-2 border-b border-zinc-100 px-5 py-3 text-xs text-zinc-500">
              <ReasonBadge entry={current} nameOf={nameOf} />
              {current.item.source !== "imported" ? (
                <Badge tone={current.item.source === "generated" ? "amber" : "neutral"}>{current.item.source}</Badge>
              ) : null}
              {current.item.split === "test" ? <Badge tone="indigo">test set</Badge> : null}
              {current.reason === "mislabeled" && current.item.labelStatus === "labeled" ? (
                <span>
                  currently labeled{" "}
                  <strong className="text-zinc-700">
                    {current.item.labelClassIds.map((id) => nameOf.get(id) ?? id).join(", ") || "(none)"}
                  </strong>
                </span>
              ) : null}
              <span className="ml-auto tabular-nums">item #{current.item.id}</span>
            </header>
            <div
              id="item-text"
              data-testid="item-text"
              className="max-h-[55vh] overflow-y-auto px-5 py-5 text-[17px] leading-relaxed [overflow-wrap:anywhere] whitespace-pre-wrap text-zinc-900"
            >
              {current.item.text}
            </div>
            <Metadata metadata={current.item.metadata} />
          </article>
        )}
        {current ? (
          <ClassChoices
            classes={classes}
            keyOf={keyOf}
            prediction={current.prediction}
            multilabel={multilabel}
            selected={toggled}
            onChoose={(classId) =>
              multilabel ? toggle(classId) : queue.decide({ action: "label", classIds: [classId] }, current.item.id)
            }
          />
        ) : null}
        {current ? (
          <div className="flex flex-wrap items-center gap-2">
            {multilabel ? (
              <Button onClick={() => queue.decide({ action: "label", classIds: toggled }, current.item.id)}>
                Submit {toggled.length ? toggled.map((id) => nameOf.get(id)).join(" + ") : "no class"} <Kbd>Enter</Kbd>
              </Button>
            ) : reviewing && proposed.length ? (
              <Button onClick={() => queue.decide({ action: "label", classIds: proposed }, current.item.id)}>
                Confirm {nameOf.get(proposed[0]!)} <Kbd>Enter</Kbd>
              </Button>
            ) : (
              <Button
                onClick={() =>
                  queue.decide(
                    { action: "accept", modelVersionId: current.prediction?.modelVersionId },
                    current.item.id,
                  )
                }
                disabled={!current.prediction}
              >
                Accept {current.prediction ? nameOf.get(predicted[0] ?? -1) : "prediction"} <Kbd>Enter</Kbd>
              </Button>
            )}
            <Button
              variant="secondary"
              onClick={() => {
                queue.decide(
                  {
                    action: "skip",
                    reason: skipReason,
                    ...(skipComment.trim() ? { comment: skipComment.trim() } : {}),
                  },
                  current.item.id,
                );
                setSkipComment("");
              }}
            >
              Skip <Kbd>Space</Kbd>
            </Button>
            <label className="flex items-center gap-1.5 text-xs text-zinc-600">
              because
              <select
                className="w-40 rounded-md border-zinc-300 py-1 text-xs"
                value={skipReason}
                onChange={(e) => setSkipReason(e.target.value)}
                aria-label="Skip reason"
              >
                {SKIP_REASONS.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
            <input
              type="text"
              value={skipComment}
              maxLength={1000}
              onChange={(e) => setSkipComment(e.target.value)}
              placeholder="comment (optional)"
              aria-label="Skip comment (optional)"
              className="w-44 rounded-md border-0 px-2 py-1 text-xs ring-1 ring-zinc-300 ring-inset"
            />
            <Button variant="ghost" onClick={() => setFlagging((v) => !v)} aria-expanded={flagging}>
              Flag for review
            </Button>
            <Button variant="ghost" onClick={() => void queue.undo()} disabled={queue.undoing}>
              Undo <Kbd>Z</Kbd>
            </Button>
            <Button variant="ghost" className="ml-auto" onClick={() => setShowHelp(true)}>
              Shortcuts <Kbd>?</Kbd>
            </Button>
          </div>
        ) : null}
        {current && flagging ? (
          <FlagForm
            projectId={projectId}
            itemId={current.item.id}
            onFlagged={(comment) => {
              setFlagging(false);
              // A flagged item waits for an admin: it is skipped here, with the flag's words as the comment.
              queue.decide({ action: "skip", reason: "Flagged for review", comment }, current.item.id);
            }}
            onCancel={() => setFlagging(false)}
          />
        ) : null}
      </div>
      <aside className="space-y-4" aria-label="Guidelines and history">
        <section
          className="rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200"
          aria-labelledby="side-guidelines-title"
        >
          <h2
            id="side-guidelines-title"
            className="flex items-baseline justify-between text-sm font-semibold text-zinc-900"
          >
            Guidelines
            {guidelines.data ? (
              <span className="text-xs font-normal text-zinc-600">revision {guidelines.data.revision}</span>
            ) : null}
          </h2>
          <div className="mt-3">
            {guidelines.data ? <GuidelinesView guidelines={guidelines.data} keyOf={keyOf} compact /> : null}
          </div>
        </section>
        <HistoryPanel
          projectId={projectId}
          nameOf={nameOf}
          onReopen={(d) => void queue.reopen({ item: d.item, prediction: null })}
        />
        {queue.upNext ? <p className="px-1 text-xs text-zinc-600">Next item ready.</p> : null}
      </aside>
      {showHelp ? (
        <ShortcutsDialog
          classes={classes}
          keyOf={keyOf}
          multilabel={multilabel}
          guidelines={guidelines.data}
          onClose={() => setShowHelp(false)}
        />
      ) : null}
      {guidelinesPrompt.open && guidelines.data ? (
        <GuidelinesDialog
          guidelines={guidelines.data}
          changed={guidelinesPrompt.changed}
          keyOf={keyOf}
          onClose={guidelinesPrompt.dismiss}
        />
      ) : null}
    </div>
  );
}

function Metadata({ metadata }: { metadata: unknown }) {
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) return null;
  const entries = Object.entries(metadata as Record<string, unknown>).slice(0, 8);
  if (!entries.length) return null;
  return (
    <dl className="flex flex-wrap gap-x-4 gap-y-1 border-t border-zinc-100 px-5 py-2 text-xs text-zinc-500">
      {entries.map(([k, v]) => (
        <div key={k} className="flex gap-1">
          <dt>{k}:</dt>
          <dd className="max-w-64 truncate text-zinc-700">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The two queues: the model's most informative items, and generated examples waiting for a person's check. */
function QueueTabs({ projectId, mode }: { projectId: number; mode: QueueMode }) {
  const tabs = [
    { mode: "learn" as const, label: "Most informative", href: `/projects/${projectId}/annotate` },
    {
      mode: "review-generated" as const,
      label: "Review generated examples",
      href: `/projects/${projectId}/annotate?mode=review-generated`,
    },
  ];
  return (
    <nav aria-label="Queue" className="flex gap-1 text-sm">
      {tabs.map((t) => (
        <Link
          key={t.mode}
          href={t.href}
          aria-current={t.mode === mode ? "page" : undefined}
          className={
            t.mode === mode
              ? "rounded-md bg-indigo-50 px-3 py-1.5 font-medium text-indigo-700 ring-1 ring-indigo-200"
              : "rounded-md px-3 py-1.5 text-zinc-600 hover:bg-zinc-100"
          }
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

/**
 * Written guidelines (revision 1 and up) open in full when a sitting starts in this tab, and again if an admin
 * changes them during it. A project with only class descriptions (revision 0) shows them in the side panel alone.
 */
function useGuidelinesAtSessionStart(projectId: number, revision: number | undefined) {
  const key = `margin:guidelines-read:${projectId}`;
  const [read, setRead] = useState<number | null | undefined>(undefined);
  useEffect(() => {
    try {
      const stored = window.sessionStorage.getItem(key);
      setRead(stored === null ? null : Number(stored));
    } catch {
      setRead(null);
    }
  }, [key]);
  const open = revision !== undefined && revision > 0 && read !== undefined && read !== revision;
  const dismiss = () => {
    if (revision === undefined) return;
    try {
      window.sessionStorage.setItem(key, String(revision));
    } catch {
      // Private modes may refuse storage: the dialog then simply shows once per page load.
    }
    setRead(revision);
  };
  return { open, changed: open && read !== null, dismiss };
}
