// Entry of a training fit's thread: worker threads do not inherit the process's TypeScript loader (tsx), so the
// thread registers it and then runs the TypeScript body.
import { register } from "tsx/esm/api";

register();
await import("./fit-classifier-thread.ts");
