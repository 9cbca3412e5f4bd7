import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { callerForRequest } from "@/server/api/root";
import { getSessionUser } from "@/server/auth/get-session-user";
import { isNotFound } from "../../../_components/is-not-found";
import { ItemDetail } from "./_components/item-detail";

export default async function ItemPage({ params }: { params: Promise<{ projectId: string; itemId: string }> }) {
  const { projectId, itemId } = await params;
  const id = Number(itemId);
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) notFound();
  const requestHeaders = await headers();
  const user = await getSessionUser(requestHeaders);
  try {
    await (await callerForRequest(requestHeaders)).items.get({ projectId: Number(projectId), itemId: id });
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  return <ItemDetail projectId={Number(projectId)} itemId={id} isAdmin={user?.role === "admin"} />;
}
