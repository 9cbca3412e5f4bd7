import { headers } from "next/headers";
import { getSessionUser } from "@/server/auth/get-session-user";
import { Playground } from "./_components/playground";

export default async function PlaygroundPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await getSessionUser(await headers());
  return <Playground projectId={Number(projectId)} isAdmin={user?.role === "admin"} />;
}
