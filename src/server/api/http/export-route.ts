import { errorResponse } from "@/server/api/http/json-error";
import { projectIdParam, requireAdmin } from "@/server/api/http/require-admin";
import { exportInputFromQuery } from "@/server/domain/exports/export-input";
import { openExport } from "@/server/domain/exports/open-export";
import { pgPool } from "@/server/pg-pool";
import { redactedMessage } from "@/server/redact-secrets";

/**
 * GET /api/projects/{projectId}/export?format=…&origins=…&splits=…&classIds=…&labeledFrom=…&labeledTo=…&minAgreement=…
 * Streams the file: the body is produced as the client reads it, a page of items at a time.
 */
export async function handleExport(request: Request, rawProjectId: string | undefined): Promise<Response> {
  let opened;
  try {
    await requireAdmin(request);
    const input = exportInputFromQuery(projectIdParam(rawProjectId), new URL(request.url).searchParams);
    opened = await openExport(pgPool(), input);
  } catch (error) {
    return errorResponse(error, "export");
  }
  const { chunks, fileName, contentType } = opened;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        console.error(`[http] export: ${redactedMessage(error)}`);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": contentType,
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
}
