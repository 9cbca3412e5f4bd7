import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/server/auth/get-session-user";
import { UserAdmin } from "./_components/user-admin";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await getSessionUser(await headers());
  if (user?.role !== "admin") redirect("/projects");
  return <UserAdmin currentUserId={user.id} />;
}
