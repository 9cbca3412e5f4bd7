import { env, publicUrl } from "@/env";
import { MAX_TEXT_CHARS } from "@/server/api/http/v1/classify-body";

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string", example: "UNAUTHENTICATED" }, message: { type: "string" }, details: {} },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/** The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. */
export function openApiDocument() {
  const e = env();
  return {
    openapi: "3.1.0",
    info: {
      title: "Margin API",
      version: "1",
      description:
        `Classify texts with a project's active model. Authenticate with a project API key (created by an admin on the project page; shown once) ` +
        `as \`Authorization: Bearer <key>\` or \`X-API-Key: <key>\`. At most ${e.API_MAX_TEXTS_PER_REQUEST} texts per request ` +
        `(API_MAX_TEXTS_PER_REQUEST) of at most ${MAX_TEXT_CHARS} characters each; at most ${e.API_RATE_LIMIT_PER_MINUTE} requests per minute per key ` +
        `(API_RATE_LIMIT_PER_MINUTE), reported in the RateLimit-* headers.`,
    },
    servers: [{ url: publicUrl() }],
    security: [{ bearer: [] }, { apiKeyHeader: [] }],
    paths: {
      "/api/v1/projects/{projectId}/classify": {
        post: {
          operationId: "classify",
          summary: "Classify texts with the project's active model version",
          parameters: [{ name: "projectId", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["texts"],
                  properties: {
                    texts: {
                      type: "array",
                      minItems: 1,
                      maxItems: e.API_MAX_TEXTS_PER_REQUEST,
                      items: {
                        type: "string",
                        minLength: 1,
                        maxLength: MAX_TEXT_CHARS,
                        pattern: "\\S",
                        description: "Not empty or whitespace only",
                      },
                    },
                    version: {
                      type: "integer",
                      minimum: 1,
                      description: "Model version number (v3 → 3); default: the active version",
                    },
                  },
                },
                example: { texts: ["woof", "meow"] },
              },
            },
          },
          responses: {
            "200": {
              description: "One prediction per text, in request order",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["model", "classes", "predictions"],
                    properties: {
                      model: {
                        type: "object",
                        properties: {
                          version: { type: "integer" },
                          featurizer: { type: "string" },
                          task: { enum: ["single-label", "multi-label"] },
                        },
                      },
                      classes: { type: "array", items: { type: "string" } },
                      predictions: {
                        type: "array",
                        items: {
                          type: "object",
                          required: ["prediction", "probabilities"],
                          properties: {
                            prediction: {
                              oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
                              description: "A class (single-label) or the classes that apply (multi-label)",
                            },
                            probabilities: {
                              type: "object",
                              additionalProperties: { type: "number" },
                              description: "Calibrated probability per class",
                            },
                            unsure: {
                              type: "boolean",
                              description: "Single-label: the top probability is under the class's decision threshold",
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            "401": errorResponse("Missing, unknown or revoked API key"),
            "403": errorResponse("The key belongs to another project"),
            "404": errorResponse("Unknown project or model version"),
            "412": errorResponse("The project has no ready active model version"),
            "413": errorResponse("Too many texts in one request, or body too large"),
            "415": errorResponse("Body is not application/json"),
            "422": errorResponse("Body is not valid JSON or does not match the schema"),
            "429": errorResponse("Rate limit exceeded; see Retry-After"),
            "500": errorResponse("Internal error (logged on the server)"),
            "503": errorResponse("The model's featurizer is unavailable (e.g. an embedding endpoint is down)"),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Project API key" },
        apiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
      },
      schemas: { Error: errorSchema },
    },
  };
}
