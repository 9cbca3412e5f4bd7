import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain ESM build script without type declarations
import { assemble, moduleText } from "../../../scripts/build-wasm.mjs";

const dir = path.resolve("src/ml/wasm");

describe("committed WebAssembly modules", () => {
  const sources = readdirSync(dir).filter((f) => f.endsWith(".wat"));
  it("exist for every .wat source", () => {
    expect(sources.length).toBeGreaterThan(0);
  });
  for (const file of sources) {
    it(`${file} assembles to exactly the committed module (run npm run build:wasm after editing it)`, async () => {
      const name = file.slice(0, -4);
      const built = moduleText(name, await assemble(path.join(dir, file)));
      expect(readFileSync(path.join(dir, `${name}-wasm.ts`), "utf8")).toBe(built);
    });
  }
});
