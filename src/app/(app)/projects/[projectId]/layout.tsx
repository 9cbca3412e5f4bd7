import { headers } from "next/headers";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getSessionUser } from "@/server/auth/get-session-user";
import { ProjectHeader } from "./_components/project-header";

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const id = Number(projectId);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const user = await getSessionUser(await headers());
  return (
    <div className="space-y-6">
      <ProjectHeader projectId={id} isAdmin={user?.role === "admin"} />
      {children}
    </div>
  );
}
