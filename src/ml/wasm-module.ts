/** One WebAssembly page (64 KiB). */
export const WASM_PAGE = 65536;
/** wasm32 addresses 4 GiB; a kernel whose data would not fit falls back to its TypeScript loops. */
export const WASM_MAX_BYTES = 4 * 1024 ** 3 - WASM_PAGE;

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
