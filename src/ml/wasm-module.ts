/** One WebAssembly page (64 KiB). */
export const WASM_PAGE = 65536;
/** wasm32 addresses 4 GiB; a kernel whose data would not fit falls back to its TypeScript loops. */
export const WASM_MAX_BYTES = 4 * 1024 ** 3 - WASM_PAGE;

/** Bytes rounded up to a multiple of 16, the alignment of a v128: how the kernels lay out their memories. */
export function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/**
 * A memory of at least `bytes`, sized once: it never grows, so no typed-array view of it (in any thread) is ever
 * detached. Shared when helper threads work on it or the module imports a shared memory.
 */
export function fixedWasmMemory(bytes: number, shared: boolean): WebAssembly.Memory {
  const pages = Math.ceil(bytes / WASM_PAGE);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
}

/**
 * A lazily compiled module from its committed base64 text (src/ml/wasm/*-wasm.ts): compiled once per thread, null
 * where the runtime cannot run it (no SIMD) — the caller then uses its TypeScript reference loops.
 */
export function lazyWasmModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled !== undefined) return compiled;
    try {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
    return compiled;
  };
}
