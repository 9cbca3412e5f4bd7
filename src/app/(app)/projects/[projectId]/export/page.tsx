import { headers } from "next/headers";
import { EmptyState } from "@/components/ui/empty-state";
import { getSessionUser } from "@/server/auth/get-session-user";
import { ExportForm } from "./_components/export-form";

export default async function ExportPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await getSessionUser(await headers());
  // The export route itself requires an admin; this only spares annotators a form that cannot work for them.
  if (user?.role !== "admin")
    return (
      <EmptyState title="Only admins can export">Exports contain every label of the project; ask an admin.</EmptyState>
    );
  return <ExportForm projectId={Number(projectId)} />;
}
