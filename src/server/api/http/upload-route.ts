import { env } from "@/env";
import { errorResponse, jsonError } from "@/server/api/http/json-error";
import { projectIdParam, requireAdmin } from "@/server/api/http/require-admin";
import { storeUpload } from "@/server/domain/imports/store-upload";
import { db } from "@/server/db";
import { isStorableText } from "@/server/storable-text";

/**
 * POST /api/projects/{projectId}/imports/upload?fileName=… with the raw file as the body. The file is written to
 * PostgreSQL in chunks while it streams in; the answer has the `uploadId` for `imports.preview` / `imports.start`.
 */
export async function handleUpload(request: Request, rawProjectId: string | undefined): Promise<Response> {
  try {
    const user = await requireAdmin(request);
    const projectId = projectIdParam(rawProjectId);
    if (!request.body) return jsonError(422, "INVALID_INPUT", "Send the file as the request body");
    const fileName = new URL(request.url).searchParams.get("fileName")?.slice(0, 500) || "upload";
    // PostgreSQL cannot store NUL, and no file name needs a control character.
    if (/[\u0000-\u001f\u007f]/.test(fileName) || !isStorableText(fileName)) {
      return jsonError(
        400,
        "INVALID_INPUT",
        "The file name contains a control character (such as %00): rename the file and upload it again",
      );
    }
    const maxBytes = env().IMPORT_MAX_UPLOAD_MB * 1024 * 1024;
    const declared = Number(request.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBytes) {
      return jsonError(
        413,
        "PAYLOAD_TOO_LARGE",
        `The file is larger than the upload limit of ${env().IMPORT_MAX_UPLOAD_MB} MB (IMPORT_MAX_UPLOAD_MB)`,
      );
    }
    const stored = await storeUpload(db(), {
      projectId,
      fileName,
      userId: user.id,
      body: request.body as unknown as AsyncIterable<Uint8Array>,
      maxBytes,
    });
    return Response.json(stored, { status: 201 });
  } catch (error) {
    return errorResponse(error, "upload");
  }
}
