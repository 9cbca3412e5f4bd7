import { headers } from "next/headers";
import { Suspense } from "react";
import { getSessionUser } from "@/server/auth/get-session-user";
import { ItemsTable } from "./_components/items-table";

export default async function ItemsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await getSessionUser(await headers());
  return (
    <Suspense>
      <ItemsTable projectId={Number(projectId)} isAdmin={user?.role === "admin"} />
    </Suspense>
  );
}
