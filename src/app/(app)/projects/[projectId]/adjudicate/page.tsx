import type { Metadata } from "next";
import { headers } from "next/headers";
import { EmptyState } from "@/components/ui/empty-state";
import { getSessionUser } from "@/server/auth/get-session-user";
import { DisagreementList } from "./_components/disagreement-list";

export const metadata: Metadata = { title: "Disagreements" };

export default async function AdjudicatePage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await getSessionUser(await headers());
  if (user?.role !== "admin") return <EmptyState title="Only admins decide disagreements" />;
  return <DisagreementList projectId={Number(projectId)} />;
}
