"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { authClient } from "@/trpc/auth-client";
import { errorMessage } from "@/trpc/error-message";
import { useTRPC } from "@/trpc/react";

export function SignInForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const needsSetup = useQuery(trpc.users.needsSetup.queryOptions());
  const setup = useMutation(trpc.users.setup.mutationOptions());
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const firstRun = needsSetup.data === true;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setPending(true);
    try {
      if (firstRun) await setup.mutateAsync({ email, password, name });
      const result = await authClient.signIn.email({ email, password });
      if (result.error) {
        setError(
          result.error.status === 401 ? "Wrong email or password." : (result.error.message ?? "Sign-in failed."),
        );
        return;
      }
      router.replace("/projects");
      router.refresh();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      className="space-y-4 rounded-lg bg-white p-6 shadow-xs ring-1 ring-zinc-200"
      aria-label={firstRun ? "Create the admin account" : "Sign in"}
    >
      <h1 className="text-base font-semibold">{firstRun ? "Create the admin account" : "Sign in"}</h1>
      {firstRun ? (
        <p className="text-sm text-zinc-500">This Margin has no users yet. The first account becomes its admin.</p>
      ) : null}
      {firstRun ? (
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required autoComplete="name" />
      ) : null}
      <TextField
        label="Email"
        type="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        required
        autoComplete="email"
        autoFocus
      />
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
        minLength={8}
        autoComplete={firstRun ? "new-password" : "current-password"}
      />
      {error ? (
        <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : firstRun ? "Create admin and sign in" : "Sign in"}
      </Button>
    </form>
  );
}
