import os from "node:os";
import path from "node:path";
import { env } from "@/env";

/**
 * The checkout (or installed package) Margin runs from. Inside Next's server bundle this file's own folder is not
 * known; there the web server runs from the checkout (npm start, npm run web), so its working folder is the same.
 */
export function checkoutRoot(): string {
  const here = (import.meta as { dirname?: string }).dirname;
  return here ? path.resolve(here, "../..") : process.cwd();
}

/**
 * Local state of `npm start` — the embedded database, the generated auth secret, the first admin's credentials
 * and the embedded database's URL for the CLI: MARGIN_DATA_DIR (relative to the checkout, where npm start runs),
 * or the checkout's `.margin/`. Never the caller's current folder, so the CLI finds it from anywhere.
 */
export function marginDataDir(): string {
  return path.resolve(checkoutRoot(), env().MARGIN_DATA_DIR ?? ".margin");
}

/**
 * One place for derived caches (the GloVe binary, 40 MB): `$MARGIN_DATA_DIR/cache` when set, otherwise the user's
 * cache folder (`$XDG_CACHE_HOME/margin` or `~/.cache/margin`), shared by the web app, the worker and the CLI
 * wherever it runs — not the current folder, which would get a copy per folder the CLI was run from.
 */
export function marginCacheDir(): string {
  const e = env();
  if (e.MARGIN_DATA_DIR) return path.join(marginDataDir(), "cache");
  return path.join(e.XDG_CACHE_HOME ? path.resolve(e.XDG_CACHE_HOME) : path.join(os.homedir(), ".cache"), "margin");
}

/** Where `npm start` writes the embedded database's URL (it changes port every start) for `margin import|export`. */
export function databaseUrlFile(): string {
  return path.join(marginDataDir(), "database-url");
}
