import { describe, expect, it } from "vitest";
import { errorResponse } from "@/server/api/http/json-error";
import { AppError } from "@/server/errors";

describe("errorResponse", () => {
  it("answers an unavailable featurizer with its own message, even when that message quotes a refused connection", async () => {
    // v1-route.ts wraps a FeaturizerError this way; the endpoint's ECONNREFUSED is not the database's.
    const featurizerDown = new AppError(
      "UNAVAILABLE",
      "The model's featurizer is unavailable: connect ECONNREFUSED 127.0.0.1:9",
    );
    const response = errorResponse(featurizerDown, "test");
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toEqual({ code: "UNAVAILABLE", message: featurizerDown.message });
  });
});
