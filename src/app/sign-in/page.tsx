import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/server/auth/get-session-user";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage() {
  if (await getSessionUser(await headers())) redirect("/projects");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-2xl font-semibold tracking-tight">
            <span className="text-indigo-600">▍</span>Margin
          </p>
          <p className="mt-1 text-sm text-zinc-500">Label less. Learn more.</p>
        </div>
        <SignInForm />
      </div>
    </main>
  );
}
