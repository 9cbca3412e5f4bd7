import { expect, type APIRequestContext } from "@playwright/test";

/** Calls a tRPC procedure over HTTP with the page's session cookie, exactly as the web client does. */
export async function trpcCall<T>(
  request: APIRequestContext,
  procedure: string,
  input: unknown,
  kind: "query" | "mutation",
): Promise<T> {
  const response =
    kind === "query"
      ? await request.get(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
      : await request.post(`/api/trpc/${procedure}`, { data: { json: input } });
  expect(response.ok(), `${procedure}: ${response.status()} ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}
