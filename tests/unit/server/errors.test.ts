import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { toTRPCError } from "@/server/api/to-trpc-error";
import { AppError, uniqueViolation } from "@/server/errors";

describe("error mapping", () => {
  it("maps every AppError code to a tRPC code, keeping the message", () => {
    const mapped = toTRPCError(new AppError("NOT_FOUND", "Project 7 does not exist"));
    expect(mapped).toBeInstanceOf(TRPCError);
    expect((mapped as TRPCError).code).toBe("NOT_FOUND");
    expect((mapped as TRPCError).message).toBe("Project 7 does not exist");
    expect((toTRPCError(new AppError("INVALID_INPUT", "x")) as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("turns a Prisma unique violation into CONFLICT with the field names", () => {
    const prismaError = {
      code: "P2002",
      meta: { driverAdapterError: { cause: { constraint: { fields: ['"project_id"', '"name"'] } } } },
    };
    expect(uniqueViolation(prismaError)).toBe("Already exists: another record has the same project_id, name");
    expect((toTRPCError(prismaError) as TRPCError).code).toBe("CONFLICT");
  });

  it("leaves unknown errors alone", () => {
    const plain = new Error("boom");
    expect(toTRPCError(plain)).toBe(plain);
  });
});
