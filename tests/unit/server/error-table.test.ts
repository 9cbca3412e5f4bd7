import type { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorResponse } from "@/server/api/http/json-error";
import { publicProcedure, router } from "@/server/api/trpc";
import { AppError, appErrorCodes } from "@/server/errors";
import {
  classifyError,
  errorTable,
  EXIT_FAILED,
  EXIT_USAGE,
  RETRY_AFTER_SECONDS,
  type ErrorKind,
} from "@/server/error-table";
import { FeaturizerError, type FeaturizerErrorCode } from "@/server/featurizers/featurizer";
import { CliError } from "@/cli/margin/cli-error";
import { cliFailure } from "@/cli/margin/cli-failure";
import { jobFailure, MAX_OUTAGE_RESENDS } from "@/worker/job-failure";

// One error of each row, as the code that meets it sees it.
function sample(kind: ErrorKind): unknown {
  if (kind === "DATABASE_UNAVAILABLE")
    return Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
  if (kind === "INTERNAL") return new Error("boom: an unexpected failure");
  return new AppError(kind, `a ${kind} failure`);
}

// tRPC's own answer: a procedure that throws the error, called through Margin's procedure chain (its mapping
// middleware), the way a router's procedure is.
async function trpcCode(error: unknown): Promise<string> {
  const caller = router({ fail: publicProcedure.query(() => Promise.reject(error)) }).createCaller({
    db: null as never,
    user: null,
    headers: new Headers(),
  });
  try {
    await caller.fail();
  } catch (thrown) {
    return (thrown as TRPCError).code;
  }
  throw new Error("the procedure did not fail");
}

describe("the error table", () => {
  it("has a row for every AppError code, and each code's row is its own", () => {
    for (const code of appErrorCodes) expect(errorTable[code].code).toBe(code);
  });

  it.each(Object.keys(errorTable) as ErrorKind[])(
    "%s: tRPC, the plain routes, the worker and the CLI answer as the table says",
    async (kind) => {
      const row = errorTable[kind];
      const error = sample(kind);
      expect(classifyError(error).kind).toBe(kind);

      expect(await trpcCode(error)).toBe(row.trpc);

      const response = errorResponse(error, "error-table test");
      expect(response.status).toBe(row.http);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(row.code);
      // Only an AppError's words reach the caller; an unexpected error's may hold anything.
      if (error instanceof AppError) expect(body.error.message).toBe(error.message);
      else expect(body.error.message).not.toContain("boom");
      expect(response.headers.get("retry-after")).toBe(
        kind === "DATABASE_UNAVAILABLE" ? String(RETRY_AFTER_SECONDS) : null,
      );

      const expected = !row.retryable ? "permanent" : kind === "DATABASE_UNAVAILABLE" ? "outage" : "retry";
      expect(jobFailure(error, 0)).toBe(expected);
      // Past its outage allowance, an outage uses up retries like any failure.
      if (kind === "DATABASE_UNAVAILABLE") expect(jobFailure(error, MAX_OUTAGE_RESENDS)).toBe("retry");

      // The CLI's user is local: an unexpected error's own words reach them (redacted), an outage gets the table's.
      const cli = cliFailure(error);
      expect(cli.exitCode).toBe(row.cliExit);
      expect(cli.message).toBe(kind === "INTERNAL" ? "boom: an unexpected failure" : classifyError(error).message);
    },
  );

  it("gives the CLI exit code 2 exactly for what the caller must change (a wrong input, a name that matches nothing)", () => {
    const usage = (Object.keys(errorTable) as ErrorKind[]).filter((kind) => errorTable[kind].cliExit === EXIT_USAGE);
    expect(usage.sort()).toEqual(["INVALID_INPUT", "NOT_FOUND"]);
    expect(new Set(Object.values(errorTable).map((row) => row.cliExit))).toEqual(new Set([EXIT_USAGE, EXIT_FAILED]));
  });

  it("files a featurizer's error by its code in all four places: a wrong id or setting is invalid input, the rest an unavailable dependency", async () => {
    const expected: Record<FeaturizerErrorCode, ErrorKind> = {
      FEATURIZER_UNKNOWN_ID: "INVALID_INPUT",
      FEATURIZER_CONFIG: "INVALID_INPUT",
      FEATURIZER_AUTH: "UNAVAILABLE",
      FEATURIZER_UNREACHABLE: "UNAVAILABLE",
      FEATURIZER_BAD_RESPONSE: "UNAVAILABLE",
      FEATURIZER_FAILED: "UNAVAILABLE",
    };
    for (const [code, kind] of Object.entries(expected) as [FeaturizerErrorCode, ErrorKind][]) {
      const error = new FeaturizerError(
        code,
        `embedding endpoint http://u:sk-secretpassword1234@x.test/v1 says ${code}`,
      );
      const row = errorTable[kind];
      const { kind: classified, message } = classifyError(error);
      expect(classified, code).toBe(kind);
      expect(message).toMatch(/^featurizer: embedding endpoint /);
      expect(message).not.toContain("sk-secretpassword1234");
      expect(await trpcCode(error)).toBe(row.trpc);
      expect(errorResponse(error, "test").status).toBe(row.http);
      expect(jobFailure(error, 0)).toBe(row.retryable ? "retry" : "permanent");
      expect(cliFailure(error)).toEqual({ exitCode: row.cliExit, message });
    }
  });

  it("lets the CLI's own failures and commander's ends keep their exit codes", () => {
    expect(cliFailure(new CliError("--class a: x given twice"))).toEqual({
      exitCode: EXIT_USAGE,
      message: "--class a: x given twice",
    });
    expect(cliFailure(new CliError("Import failed", EXIT_FAILED))).toEqual({
      exitCode: EXIT_FAILED,
      message: "Import failed",
    });
    expect(cliFailure(Object.assign(new Error("unknown option"), { code: "commander.unknownOption" }))).toEqual({
      exitCode: EXIT_USAGE,
      message: null,
    });
    expect(cliFailure(Object.assign(new Error("(outputHelp)"), { code: "commander.helpDisplayed" }))).toEqual({
      exitCode: 0,
      message: null,
    });
    expect(cliFailure(undefined)).toEqual({ exitCode: EXIT_FAILED, message: "undefined" });
  });

  it("files a zod error as invalid input and a unique violation as a conflict, in all three places", async () => {
    const zodError = z.object({ n: z.number() }).safeParse({ n: "x" }).error!;
    expect(classifyError(zodError).kind).toBe("INVALID_INPUT");
    expect(await trpcCode(zodError)).toBe("BAD_REQUEST");
    expect(errorResponse(zodError, "test").status).toBe(422);
    expect(jobFailure(zodError, 0)).toBe("permanent");

    const unique = { code: "P2002", meta: { target: ["email"] } };
    expect(classifyError(unique)).toEqual({
      kind: "CONFLICT",
      message: "Already exists: another record has the same email",
    });
    expect(await trpcCode(unique)).toBe("CONFLICT");
    expect(errorResponse(unique, "test").status).toBe(409);
    expect(jobFailure(unique, 0)).toBe("retry");
  });
});
