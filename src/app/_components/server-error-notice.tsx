"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * The digest the server stamps on an error that means "PostgreSQL is unreachable" (getSessionUser), so the page can
 * say so: Next replaces a server component's message with a generic one in production but keeps a digest it is given.
 * The same literal lives in src/server/auth/get-session-user.ts (UI code may not import server modules); a unit test
 * pins that they agree.
 */
export const DATABASE_UNAVAILABLE_DIGEST = "MARGIN_DATABASE_UNAVAILABLE";
/** While the database is down the page retries by itself; a restart usually takes seconds. */
const RETRY_SECONDS = 5;

/** What error.tsx shows: a database outage (with an automatic retry) or any other server failure. */
export function ServerErrorNotice({ digest, retry }: { digest?: string; retry: () => void }) {
  const outage = digest === DATABASE_UNAVAILABLE_DIGEST;
  const [seconds, setSeconds] = useState(RETRY_SECONDS);
  useEffect(() => {
    if (!outage) return;
    const timer = setInterval(() => {
      setSeconds((s) => {
        if (s > 1) return s - 1;
        retry();
        return RETRY_SECONDS;
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [outage, retry]);

  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center">
      <div role="alert">
        <p className="text-sm font-medium text-zinc-600">{outage ? "503" : "500"}</p>
        <h1 className="mt-1 text-xl font-semibold tracking-tight">
          {outage ? "Margin cannot reach its database" : "This page could not be loaded"}
        </h1>
        <p className="mt-2 text-sm text-zinc-600">
          {outage
            ? "PostgreSQL is restarting or unreachable. Labels already submitted are saved."
            : "The server failed while preparing this page. Trying again may help; if it keeps failing, tell your administrator."}
        </p>
        {outage ? (
          <p className="mt-2 text-sm text-zinc-600">Trying again in {seconds} s.</p>
        ) : digest ? (
          <p className="mt-2 text-xs text-zinc-600">
            Reference for the server log: <code>{digest}</code>
          </p>
        ) : null}
      </div>
      <Button className="mt-4" onClick={() => retry()}>
        Try again now
      </Button>
    </main>
  );
}
