import { headers } from "next/headers";
import { EmptyState } from "@/components/ui/empty-state";
import { getSessionUser } from "@/server/auth/get-session-user";
import { ImportWizard } from "./_components/import-wizard";

export default async function ImportPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await getSessionUser(await headers());
  if (user?.role !== "admin")
    return (
      <EmptyState title="Only admins can import">
        Ask an admin of this installation to add texts to the project.
      </EmptyState>
    );
  return <ImportWizard projectId={Number(projectId)} />;
}
