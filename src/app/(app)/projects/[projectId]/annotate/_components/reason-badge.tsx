import { Badge } from "@/components/ui/badge";
import type { QueueEntry } from "./use-annotation-queue";

/** Why the queue chose this item, in words an annotator can use. */
export function ReasonBadge({ entry, nameOf }: { entry: QueueEntry; nameOf: Map<number, string> }) {
  const top = [...(entry.prediction?.probabilities ?? [])].sort((a, b) => b.probability - a.probability).slice(0, 2);
  switch (entry.reason) {
    case "uncertain":
      return (
        <span className="flex items-center gap-2">
          <Badge tone="amber">uncertain</Badge>
          {top.length === 2 ? (
            <span>
              the model is torn between <strong className="text-zinc-700">{nameOf.get(top[0]!.classId)}</strong> and{" "}
              <strong className="text-zinc-700">{nameOf.get(top[1]!.classId)}</strong>
            </span>
          ) : null}
        </span>
      );
    case "reopened":
      return (
        <span className="flex items-center gap-2">
          <Badge tone="indigo">reopened</Badge>
          <span>
            from your history: your new decision replaces the earlier one (which stays in the item&apos;s history)
          </span>
        </span>
      );
    case "mislabeled":
      return (
        <span className="flex items-center gap-2">
          <Badge tone="red">second look</Badge>
          <span>the model strongly disagrees with the current label</span>
        </span>
      );
    case "random":
      return (
        <span className="flex items-center gap-2">
          <Badge>random</Badge>
          <span>
            {entry.item.split === "test"
              ? "for the test set, which must not follow the model"
              : "a random pick keeps the model honest"}
          </span>
        </span>
      );
    case "overlap":
      return (
        <span className="flex items-center gap-2">
          <Badge tone="indigo">second opinion</Badge>
          <span>another annotator labeled this; label it independently to measure agreement</span>
        </span>
      );
    case "review":
      return (
        <span className="flex items-center gap-2">
          <Badge tone="amber">generated</Badge>
          <span>
            an LLM wrote this as{" "}
            <strong className="text-zinc-700">
              {entry.item.labelClassIds.map((id) => nameOf.get(id) ?? id).join(", ") || "(no class)"}
            </strong>
            : confirm or correct it
          </span>
        </span>
      );
    case "undo":
      return <Badge tone="indigo">back after undo</Badge>;
    case "resume":
      return <Badge tone="indigo">where you left off</Badge>;
  }
}
