"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "@/trpc/react";

export interface ClassInfo {
  id: number;
  name: string;
  color: string;
}

/** The project's live classes and a lookup that names archived ones by id (old labels may still use them). */
export function useProjectClasses(projectId: number) {
  const trpc = useTRPC();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const classes: ClassInfo[] = useMemo(() => project.data?.classes ?? [], [project.data]);
  const classOf = useMemo(() => {
    const byId = new Map(classes.map((c) => [c.id, c]));
    return (id: number): ClassInfo => byId.get(id) ?? { id, name: `#${id} (archived)`, color: "#a1a1aa" };
  }, [classes]);
  return { project, classes, classOf };
}
