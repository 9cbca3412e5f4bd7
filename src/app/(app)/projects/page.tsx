import type { Metadata } from "next";
import { headers } from "next/headers";
import { getSessionUser } from "@/server/auth/get-session-user";
import { ProjectList } from "./_components/project-list";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const user = await getSessionUser(await headers());
  return <ProjectList isAdmin={user?.role === "admin"} />;
}
