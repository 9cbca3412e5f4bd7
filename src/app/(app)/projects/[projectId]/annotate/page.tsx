import type { Metadata } from "next";
import { headers } from "next/headers";
import { getSessionUser } from "@/server/auth/get-session-user";
import { AnnotationWorkbench, type QueueMode } from "./_components/annotation-workbench";

export const metadata: Metadata = { title: "Annotate" };

export default async function AnnotatePage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<{ mode?: string }>;
}) {
  const { projectId } = await params;
  const mode: QueueMode = (await searchParams).mode === "review-generated" ? "review-generated" : "learn";
  const user = await getSessionUser(await headers());
  // Keyed by mode: switching queues starts from an empty buffer instead of mixing items of both.
  return <AnnotationWorkbench key={mode} projectId={Number(projectId)} mode={mode} isAdmin={user?.role === "admin"} />;
}
