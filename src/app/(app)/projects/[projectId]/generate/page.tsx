import type { Metadata } from "next";
import { headers } from "next/headers";
import { getSessionUser } from "@/server/auth/get-session-user";
import { GenerationConsole } from "./_components/generation-console";

export const metadata: Metadata = { title: "Generate" };

export default async function GeneratePage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await getSessionUser(await headers());
  return <GenerationConsole projectId={Number(projectId)} isAdmin={user?.role === "admin"} />;
}
