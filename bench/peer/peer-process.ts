import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "peer.py");
// Debian's interpreter first: a python3 earlier on PATH (pyenv, a venv) usually lacks Debian's python3-sklearn.
const CANDIDATES = ["/usr/bin/python3", "python3"];

/** The first interpreter that imports numpy and scikit-learn, or null. */
export function findPython(): string | null {
  for (const p of CANDIDATES) {
    const r = spawnSync(p, ["-c", "import numpy, sklearn, scipy"], { stdio: "ignore" });
    if (r.status === 0) return p;
  }
  return null;
}

export interface PeerProcess {
  info: { numpy: string; sklearn: string; blas: string };
  request<T>(cmd: Record<string, unknown>): Promise<T>;
  close(): void;
}

/** Starts bench/peer/peer.py; requests are answered one at a time, in order. */
export async function startPeer(python: string, threads: number): Promise<PeerProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(python, [SCRIPT], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
  });
  child.stderr.on("data", (b: Buffer) => process.stderr.write(`[peer.py] ${b.toString()}`));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async <T>(): Promise<T> => {
    const r = await lines.next();
    if (r.done) throw new Error("peer.py exited (see its stderr above)");
    return JSON.parse(r.value as string) as T;
  };
  const info = await next<{ numpy: string; sklearn: string; blas: string }>();
  let queue: Promise<unknown> = Promise.resolve();
  return {
    info,
    request<T>(cmd: Record<string, unknown>): Promise<T> {
      const p = queue.then(async () => {
        child.stdin.write(`${JSON.stringify(cmd)}\n`);
        const answer = await next<T & { error?: string }>();
        if (answer.error) throw new Error(`peer.py: ${answer.error}`);
        return answer as T;
      });
      queue = p.catch(() => undefined);
      return p;
    },
    close() {
      child.stdin.end(`${JSON.stringify({ op: "quit" })}\n`);
    },
  };
}
