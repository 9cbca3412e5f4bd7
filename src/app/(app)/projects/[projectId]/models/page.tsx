import { headers } from "next/headers";
import { getSessionUser } from "@/server/auth/get-session-user";
import { ModelVersions } from "./_components/model-versions";

export default async function ModelsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await getSessionUser(await headers());
  return <ModelVersions projectId={Number(projectId)} isAdmin={user?.role === "admin"} />;
}
