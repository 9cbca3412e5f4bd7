import { env } from "@/env";
import { errorResponse, jsonError } from "@/server/api/http/json-error";
import { projectIdParam } from "@/server/api/http/require-admin";
import { classifyBody, MAX_BODY_BYTES } from "@/server/api/http/v1/classify-body";
import { openApiDocument } from "@/server/api/http/v1/openapi-document";
import { authenticateApiKey } from "@/server/domain/api-keys/authenticate-api-key";
import { consumeRateLimit, type RateLimitState } from "@/server/domain/api-keys/consume-rate-limit";
import { classifyTexts } from "@/server/domain/classify/classify-texts";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { errorTable } from "@/server/error-table";
import { FeaturizerError } from "@/server/featurizers/featurizer";

function apiKeyOf(request: Request): string | undefined {
  const bearer = request.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer ?? request.headers.get("x-api-key")?.trim() ?? undefined;
}

function rateHeaders(state: RateLimitState): Record<string, string> {
  const reset = Math.max(0, Math.ceil((state.resetAt.getTime() - Date.now()) / 1000));
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(state.remaining),
    "RateLimit-Reset": String(reset),
  };
}

/** Reads at most `limit` bytes of the body; more is a 413 without buffering the rest. */
async function readBody(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** POST /api/v1/projects/{id}/classify — API-key authenticated, rate limited per key in PostgreSQL. */
export async function handleClassify(request: Request, rawProjectId: string | undefined): Promise<Response> {
  let headers: Record<string, string> = {};
  try {
    const projectId = projectIdParam(rawProjectId);
    const key = apiKeyOf(request);
    if (!key)
      return jsonError(
        errorTable.UNAUTHENTICATED.http,
        "UNAUTHENTICATED",
        "Send a project API key as `Authorization: Bearer <key>` or `X-API-Key`",
        undefined,
        { "WWW-Authenticate": "Bearer" },
      );
    const apiKey = await authenticateApiKey(db(), key, projectId);
    const e = env();
    const rate = await consumeRateLimit(db(), apiKey.id, e.API_RATE_LIMIT_PER_MINUTE);
    headers = rateHeaders(rate);
    if (!rate.allowed) {
      return jsonError(429, "RATE_LIMITED", `At most ${rate.limit} requests per minute per key`, undefined, {
        ...headers,
        "Retry-After": headers["RateLimit-Reset"]!,
      });
    }
    if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      return jsonError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json", undefined, headers);
    }
    const declared = Number(request.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES)
      return jsonError(413, "PAYLOAD_TOO_LARGE", `The body is larger than ${MAX_BODY_BYTES} bytes`, undefined, headers);
    const raw = await readBody(request, MAX_BODY_BYTES);
    if (raw === null)
      return jsonError(413, "PAYLOAD_TOO_LARGE", `The body is larger than ${MAX_BODY_BYTES} bytes`, undefined, headers);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      return jsonError(
        errorTable.INVALID_INPUT.http,
        "INVALID_INPUT",
        `The body is not valid JSON: ${(error as Error).message}`,
        undefined,
        headers,
      );
    }
    const count = (json as { texts?: unknown })?.texts;
    if (Array.isArray(count) && count.length > e.API_MAX_TEXTS_PER_REQUEST) {
      return jsonError(
        413,
        "TOO_MANY_TEXTS",
        `At most ${e.API_MAX_TEXTS_PER_REQUEST} texts per request (got ${count.length}); split the batch`,
        undefined,
        headers,
      );
    }
    const body = classifyBody.parse(json);
    return Response.json(await classifyTexts(db(), { projectId, texts: body.texts, version: body.version }), {
      headers,
    });
  } catch (error) {
    const mapped =
      error instanceof FeaturizerError
        ? new AppError("UNAVAILABLE", `The model's featurizer is unavailable: ${error.message}`)
        : error;
    const response = errorResponse(mapped, "v1 classify");
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  }
}

export function handleOpenApi(): Response {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
