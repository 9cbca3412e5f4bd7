import type { Metadata } from "next";
import { headers } from "next/headers";
import { getSessionUser } from "@/server/auth/get-session-user";
import { JobTable } from "./_components/job-table";

export const metadata: Metadata = { title: "Jobs" };

export default async function JobsPage() {
  const user = await getSessionUser(await headers());
  return <JobTable isAdmin={user?.role === "admin"} />;
}
