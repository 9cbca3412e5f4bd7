import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getSessionUser } from "@/server/auth/get-session-user";
import { ItemDetail } from "./_components/item-detail";

export default async function ItemPage({ params }: { params: Promise<{ projectId: string; itemId: string }> }) {
  const { projectId, itemId } = await params;
  const id = Number(itemId);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const user = await getSessionUser(await headers());
  return <ItemDetail projectId={Number(projectId)} itemId={id} isAdmin={user?.role === "admin"} />;
}
