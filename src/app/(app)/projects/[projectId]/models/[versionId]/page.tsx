import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getSessionUser } from "@/server/auth/get-session-user";
import { VersionDetail } from "../_components/version-detail";

export default async function ModelVersionPage({
  params,
}: {
  params: Promise<{ projectId: string; versionId: string }>;
}) {
  const { projectId, versionId } = await params;
  const id = Number(versionId);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const user = await getSessionUser(await headers());
  return <VersionDetail projectId={Number(projectId)} versionId={id} isAdmin={user?.role === "admin"} />;
}
