import type { Metadata } from "next";
import { headers } from "next/headers";
import { getSessionUser } from "@/server/auth/get-session-user";
import { EmptyState } from "@/components/ui/empty-state";
import { ProjectSettingsForm } from "./_components/project-settings-form";
import { ApiKeysCard } from "./_components/api-keys-card";
import { LlmSettingsForm } from "./_components/llm-settings-form";
import { MembersCard } from "./_components/members-card";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await getSessionUser(await headers());
  if (user?.role !== "admin") return <EmptyState title="Only admins change project settings" />;
  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
      <ProjectSettingsForm projectId={Number(projectId)} />
      <div className="space-y-6">
        <MembersCard projectId={Number(projectId)} />
        <LlmSettingsForm projectId={Number(projectId)} />
        <ApiKeysCard projectId={Number(projectId)} />
      </div>
    </div>
  );
}
