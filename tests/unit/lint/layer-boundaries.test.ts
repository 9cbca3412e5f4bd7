import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// Lints small probe files placed (virtually) in each layer with the project's own ESLint config: a boundary from
// docs/architecture.md that a forbidden import could cross without an error would fail here.
const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, "../../..") });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.resolve(import.meta.dirname, "../../..", filePath) });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const cases: { layer: string; file: string; forbidden: string[]; allowed: string[] }[] = [
  {
    layer: "numeric core (src/ml)",
    file: "src/ml/probe.ts",
    forbidden: [
      'import { env } from "@/env";',
      'import { db } from "@/server/db";',
      'import { x } from "../server/errors";',
      'import { y } from "./softmax";',
      'import pg from "pg";',
      'import fs from "node:fs";',
    ],
    allowed: ['import { softmaxRowsInPlace } from "@/ml/softmax";', 'import { z } from "zod";'],
  },
  {
    layer: "UI (src/app, src/components, src/trpc)",
    file: "src/app/(app)/probe/page.tsx",
    forbidden: [
      'import { pgPool } from "@/server/pg-pool";',
      'import { AppError } from "@/server/errors";',
      'import { getFeaturizer } from "@/server/featurizers/get-featurizer";',
      'import { x } from "../../../server/domain/items/list-items";',
      'import { db } from "@/server/db";',
    ],
    allowed: [
      'import type { AppRouter } from "@/server/api/root";',
      'import { getSessionUser } from "@/server/auth/get-session-user";',
      'import { useTRPC } from "@/trpc/react";',
    ],
  },
  {
    layer: "domain (src/server/domain)",
    file: "src/server/domain/probe/probe.ts",
    forbidden: [
      'import { appRouter } from "@/server/api/root";',
      'import { handleScore } from "@/worker/handlers/score";',
      'import { notFound } from "next/navigation";',
      'import { useState } from "react";',
    ],
    allowed: ['import { AppError } from "@/server/errors";', 'import { decideClasses } from "@/ml/decide-classes";'],
  },
  {
    layer: "CLI (src/cli)",
    file: "src/cli/margin/probe.ts",
    forbidden: [
      'import { NextResponse } from "next/server";',
      'import { Button } from "@/components/ui/button";',
      'import { useTRPC } from "@/trpc/react";',
    ],
    allowed: ['import { importUpload } from "@/server/domain/imports/import-upload";', 'import { env } from "@/env";'],
  },
  {
    layer: "auth (src/server/auth)",
    file: "src/server/auth/probe.ts",
    forbidden: ['import { createContext } from "@/server/api/trpc";'],
    allowed: ['import { db } from "@/server/db";'],
  },
  {
    layer: "jobs (src/server/jobs)",
    file: "src/server/jobs/probe.ts",
    forbidden: [
      'import { importOptions } from "@/server/domain/imports/import-format";',
      'import { llmSettingsSchema } from "@/server/llm/llm-config";',
      'import { handleScore } from "@/worker/handlers/score";',
      'import { appRouter } from "@/server/api/root";',
    ],
    allowed: [
      'import { importOptions } from "@/server/schemas/import-options";',
      'import type { Tx } from "@/server/db";',
      'import { env } from "@/env";',
    ],
  },
  {
    layer: "schemas (src/server/schemas)",
    file: "src/server/schemas/probe.ts",
    forbidden: [
      'import { env } from "@/env";',
      'import { ImportFileError } from "@/server/domain/imports/import-format";',
      'import { importOptions } from "./import-options";',
    ],
    allowed: ['import { z } from "zod";', 'import { importOptions } from "@/server/schemas/import-options";'],
  },
  {
    layer: "compute (src/server/compute)",
    file: "src/server/compute/probe.ts",
    forbidden: [
      'import { db } from "@/server/db";',
      'import { embedTexts } from "@/server/domain/embeddings/embed-texts";',
      'import { enqueueJob } from "@/server/jobs/enqueue-job";',
      'import pg from "pg";',
    ],
    allowed: ['import { env } from "@/env";', 'import { runLogisticBlock } from "@/ml/logistic-kernel";'],
  },
  {
    layer: "compute (src/server/featurizers)",
    file: "src/server/featurizers/probe.ts",
    forbidden: [
      'import { db } from "@/server/db";',
      'import { embedTexts } from "@/server/domain/embeddings/embed-texts";',
      'import { PrismaClient } from "@prisma/client";',
    ],
    allowed: ['import { env } from "@/env";', 'import { marginCacheDir } from "@/server/local-dirs";'],
  },
  {
    layer: "worker (src/worker, except main.ts)",
    file: "src/worker/handlers/probe.ts",
    forbidden: [
      'import { db } from "@/server/db";',
      'import { LlmError } from "@/server/llm/llm-error";',
      'import { createLlmClient } from "@/server/llm/llm-client";',
      'import { pgPool } from "@/server/pg-pool";',
    ],
    allowed: [
      'import type { Db } from "@/server/db";',
      'import { scoreVersion } from "@/server/domain/scoring/score-version";',
    ],
  },
];

describe("layer boundaries (ESLint no-restricted-imports)", () => {
  for (const c of cases) {
    it(`${c.layer}: forbidden imports are errors, allowed ones are not`, async () => {
      for (const line of c.forbidden)
        expect(await restrictedImports(c.file, `${line}\nexport {};\n`), line).toHaveLength(1);
      for (const line of c.allowed) expect(await restrictedImports(c.file, `${line}\nexport {};\n`), line).toEqual([]);
    });
  }
});
