import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { rejectCrossSite } from "@/server/api/http/same-origin";
import { handleExport } from "@/server/api/http/export-route";
import { handleUpload } from "@/server/api/http/upload-route";
import { handleClassify, handleOpenApi } from "@/server/api/http/v1/v1-route";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { auth } from "@/server/auth/auth";
import { withClientAddress } from "@/server/auth/client-address";
import { redactedMessage } from "@/server/redact-secrets";

/**
 * The HTTP surface as a plain fetch handler: Next's route handlers call it, and integration tests serve it over a
 * real HTTP server without Next, so both exercise the same code.
 */
export async function handleApiRequest(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  // better-auth checks origins itself; its rate limiter keys on the address resolved here.
  if (pathname.startsWith("/api/auth/")) return auth().handler(withClientAddress(request));
  if (pathname.startsWith("/api/trpc/")) {
    return fetchRequestHandler({
      endpoint: "/api/trpc",
      req: request,
      router: appRouter,
      createContext: ({ req }) => createContext({ headers: req.headers }),
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}: ${redactedMessage(error)}`);
      },
    });
  }
  if (pathname === "/api/v1/openapi.json" && request.method === "GET") return handleOpenApi();
  const classify = pathname.match(/^\/api\/v1\/projects\/([^/]+)\/classify$/);
  if (classify && request.method === "POST") return handleClassify(request, classify[1]);
  // tRPC needs no such check (its JSON POSTs are preflighted); /api/v1 is authenticated by API keys, not cookies.
  const unsafe = !["GET", "HEAD", "OPTIONS"].includes(request.method);
  const crossSite = unsafe && pathname.startsWith("/api/projects/") ? rejectCrossSite(request) : undefined;
  if (crossSite) return crossSite;
  const projectRoute = pathname.match(/^\/api\/projects\/([^/]+)\/(export|imports\/upload)$/);
  if (projectRoute?.[2] === "export" && request.method === "GET") return handleExport(request, projectRoute[1]);
  if (projectRoute?.[2] === "imports/upload" && request.method === "POST") return handleUpload(request, projectRoute[1]);
  return Response.json({ error: "not found" }, { status: 404 });
}
