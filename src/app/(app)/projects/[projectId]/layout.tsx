import { headers } from "next/headers";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { callerForRequest } from "@/server/api/root";
import { getSessionUser } from "@/server/auth/get-session-user";
import { isNotFound } from "../_components/is-not-found";
import { ProjectHeader } from "./_components/project-header";

export default async function ProjectLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ projectId: string }>;
}) {
  const { projectId } = await params;
  const id = Number(projectId);
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) notFound();
  const requestHeaders = await headers();
  const user = await getSessionUser(requestHeaders);
  // An unknown project answers 404 with a page that says so, not a 200 with tabs around "does not exist".
  try {
    await (await callerForRequest(requestHeaders)).projects.get({ projectId: id });
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  return (
    <div className="space-y-6">
      <ProjectHeader projectId={id} isAdmin={user?.role === "admin"} />
      {children}
    </div>
  );
}
