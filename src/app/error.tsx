"use client";

import { ServerErrorNotice } from "./_components/server-error-notice";

// Catches what a page or a nested layout throws while rendering on the server, e.g. the session lookup of every
// signed-in page during a database outage (instead of Next's bare 500 page).
export default function ErrorPage({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return <ServerErrorNotice digest={error.digest} retry={retry} />;
}
