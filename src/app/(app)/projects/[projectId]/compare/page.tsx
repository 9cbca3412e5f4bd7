import { headers } from "next/headers";
import { EmptyState } from "@/components/ui/empty-state";
import { getSessionUser } from "@/server/auth/get-session-user";
import { CompareVersions } from "./_components/compare-versions";

const versionParam = (value: string | string[] | undefined) => {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n > 0 ? n : null;
};

export default async function ComparePage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { projectId } = await params;
  const query = await searchParams;
  const user = await getSessionUser(await headers());
  if (user?.role !== "admin")
    return (
      <EmptyState title="Admins only">
        Comparing and promoting model versions is for project admins. The Models tab shows every version&apos;s metrics.
      </EmptyState>
    );
  return (
    <CompareVersions projectId={Number(projectId)} initialA={versionParam(query.a)} initialB={versionParam(query.b)} />
  );
}
