"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { useTRPC } from "@/trpc/react";

const taskLabels = { binary: "Binary", multiclass: "Multi-class", multilabel: "Multi-label" } as const;

/** The project's name and its sections; every page under a project shares it. */
export function ProjectHeader({ projectId, isAdmin }: { projectId: number; isAdmin: boolean }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const base = `/projects/${projectId}`;
  // Annotators get only the tabs they can use: admin-only pages (import, generate, export, compare, disagreements, settings) are not
  // offered to them at all rather than answering "Admins only" after a click.
  const tabs = [
    { href: base, label: "Overview", exact: true },
    { href: `${base}/annotate`, label: "Annotate" },
    { href: `${base}/items`, label: "Items" },
    ...(isAdmin ? [{ href: `${base}/import`, label: "Import" }] : []),
    ...(isAdmin ? [{ href: `${base}/generate`, label: "Generate" }] : []),
    ...(isAdmin ? [{ href: `${base}/export`, label: "Export" }] : []),
    { href: `${base}/models`, label: "Models" },
    ...(isAdmin ? [{ href: `${base}/compare`, label: "Compare" }] : []),
    ...(isAdmin ? [{ href: `${base}/adjudicate`, label: "Disagreements" }] : []),
    { href: `${base}/playground`, label: "Playground" },
    ...(isAdmin ? [{ href: `${base}/settings`, label: "Settings" }] : []),
  ];
  const p = project.data;
  return (
    <div>
      <Link href="/projects" className="text-sm text-zinc-500 hover:text-zinc-800">
        ← Projects
      </Link>
      <div className="mt-1 flex min-h-8 flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold tracking-tight">
          {p?.name ?? (project.isPending ? "…" : `Project ${projectId}`)}
        </h1>
        {p ? <Badge>{taskLabels[p.taskType]}</Badge> : null}
        {p ? <Badge tone="indigo">featurizer {p.featurizerId}</Badge> : null}
      </div>
      {p?.description ? <p className="mt-1 max-w-3xl text-sm text-zinc-600">{p.description}</p> : null}
      <nav aria-label="Project" className="mt-4 flex flex-wrap gap-x-1 border-b border-zinc-200">
        {tabs.map((tab) => {
          const active = tab.exact
            ? pathname === tab.href
            : pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <Link
              key={tab.href}
              href={tab.href}
              aria-current={active ? "page" : undefined}
              className={`-mb-px border-b-2 px-3 py-2 text-sm whitespace-nowrap ${active ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900"}`}
            >
              {tab.label}
            </Link>
          );
        })}
      </nav>
    </div>
  );
}
