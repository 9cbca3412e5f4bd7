import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import type { Featurizer } from "@/server/featurizers/featurizer";

/** Embeds texts, caching the matrix under benchCacheDir/<featurizer id>/<hash of texts>.f32 (bench-only cache). */
export async function embedCached(
  f: Featurizer,
  texts: string[],
  benchCacheDir: string,
  useCache: boolean,
): Promise<Float32Array> {
  if (!useCache) return f.embed(texts);
  const h = createHash("sha256").update(texts.join("\u0000")).digest("hex").slice(0, 16);
  const file = path.join(benchCacheDir, f.id.replace(/[^a-zA-Z0-9@._-]/g, "_"), `${h}.f32`);
  if (fs.existsSync(file)) {
    const buf = fs.readFileSync(file);
    if (buf.byteLength === texts.length * f.dim * 4) {
      const out = new Float32Array(texts.length * f.dim);
      new Uint8Array(out.buffer).set(buf);
      return out;
    }
  }
  const v = await f.embed(texts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
  fs.renameSync(`${file}.tmp`, file);
  return v;
}
