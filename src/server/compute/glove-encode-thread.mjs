// Entry of a GloVe encoding thread (see glove-encode-threads.ts): worker threads do not inherit the process's
// TypeScript loader (tsx), so the thread registers it and then runs the TypeScript body.
import { register } from "tsx/esm/api";

register();
await import("./glove-encode-thread.ts");
