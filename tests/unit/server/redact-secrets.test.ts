import { describe, expect, it } from "vitest";
import { redactedError, redactSecrets } from "@/server/redact-secrets";

describe("redactSecrets", () => {
  it("removes keys, tokens and URL passwords, and leaves the rest of the message", () => {
    expect(redactSecrets("Incorrect API key provided: sk-proj-AbC123xyz_456. See the docs.")).toBe(
      "Incorrect API key provided: [redacted]. See the docs.",
    );
    expect(redactSecrets("sent Authorization: Bearer abc.DEF-123_ghi=")).toBe("sent Authorization: Bearer [redacted]");
    expect(redactSecrets('{"api_key":"k3y-v4lue-123","x":1}')).toBe('{"api_key":"[redacted]","x":1}');
    expect(redactSecrets("connect postgresql://margin:s3cret@db:5432/margin failed")).toBe(
      "connect postgresql://margin:[redacted]@db:5432/margin failed",
    );
    expect(redactSecrets("key mgn_AAAAbbbbCCCCdddd1234 revoked")).toBe("key [redacted] revoked");
    expect(redactSecrets("custom secret hunter2hunter2 here", ["hunter2hunter2"])).toBe(
      "custom secret [redacted] here",
    );
    expect(redactSecrets("HTTP 500 from http://127.0.0.1:8080/v1: task skipped")).toBe(
      "HTTP 500 from http://127.0.0.1:8080/v1: task skipped",
    );
  });

  it("copies an error with its stack and cause chain redacted", () => {
    const upstream = new Error("401 Incorrect API key provided: sk-canary-0123456789");
    const error = new Error("The LLM request failed", { cause: upstream });
    error.name = "LlmError";
    const copy = redactedError(error);
    expect(copy.name).toBe("LlmError");
    expect(
      JSON.stringify({
        message: copy.message,
        stack: copy.stack,
        cause: (copy.cause as Error).message,
        causeStack: (copy.cause as Error).stack,
      }),
    ).not.toContain("sk-canary");
    expect((copy.cause as Error).message).toBe("401 Incorrect API key provided: [redacted]");
  });
});
