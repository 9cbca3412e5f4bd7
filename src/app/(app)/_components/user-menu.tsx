"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { authClient } from "@/trpc/auth-client";

export function UserMenu({ name, email, role }: { name: string; email: string; role: "admin" | "annotator" }) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !ref.current?.contains(event.target as Node))
        setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  async function signOut() {
    await authClient.signOut();
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <div className="relative" ref={ref}>
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        aria-haspopup="menu"
        aria-expanded={open}
        className="flex items-center gap-2 rounded-full py-1 pr-2 pl-1 text-sm hover:bg-zinc-100"
      >
        <span
          aria-hidden
          className="flex h-7 w-7 items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700"
        >
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="sr-only sm:not-sr-only">{name}</span>
      </button>
      {open ? (
        <div
          role="menu"
          className="absolute right-0 z-10 mt-2 w-60 rounded-lg bg-white p-1 shadow-lg ring-1 ring-zinc-200"
        >
          <div className="px-3 py-2">
            <p className="truncate text-sm font-medium">{name}</p>
            <p className="truncate text-xs text-zinc-500">{email}</p>
            <div className="mt-1.5">
              <Badge tone={role === "admin" ? "indigo" : "neutral"}>{role}</Badge>
            </div>
          </div>
          <Link
            href="/account"
            role="menuitem"
            onClick={() => setOpen(false)}
            className="block w-full rounded-md px-3 py-2 text-left text-sm hover:bg-zinc-100"
          >
            Change password
          </Link>
          <button
            type="button"
            role="menuitem"
            onClick={signOut}
            className="w-full rounded-md px-3 py-2 text-left text-sm hover:bg-zinc-100"
          >
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
