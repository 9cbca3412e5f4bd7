import { headers } from "next/headers";
import { getSessionUser } from "@/server/auth/get-session-user";
import { ProjectOverview } from "./_components/project-overview";

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await getSessionUser(await headers());
  return <ProjectOverview projectId={Number(projectId)} isAdmin={user?.role === "admin"} />;
}
