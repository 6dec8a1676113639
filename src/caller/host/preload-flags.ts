/**
 * Preloads in the worker's flags made absolute (which flags the worker gets: worker-flags.ts).
 *
 * Node resolves `--import ./setup.mjs`, `--require tsx/cjs` or `--import tsx` from the current
 * directory when a thread starts. The worker starts later, on the first call, and if the program
 * changed directory meanwhile (process.chdir), the same flag names another file or none. So the
 * values are resolved here, from the directory the process started in, as Node resolved them for
 * the main thread: the worker loads what the main thread loaded.
 */
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { resolveBare } from "../package-resolution.js";
import { nodeModule } from "../../builtins.js";

/**
 * The directory the process started in, as far as this library can know: the current directory
 * when the library is first loaded (static imports load before the program's own code runs). On
 * globalThis: the rest of the caller's library, which has its own copy of this module and loads
 * later (scripts/build.mjs), must see the directory its front saw.
 */
const startupDirectory = ((globalThis as Record<symbol, unknown>)[Symbol.for("synchronicity.startupDirectory")] ??= process.cwd()) as string;

/** Flags whose value is a module to load before the thread's own code, and how Node resolves it. */
const preloadFlags: Readonly<Record<string, "esm" | "cjs">> = {
  "--import": "esm",
  "--loader": "esm",
  "--experimental-loader": "esm",
  "--require": "cjs",
  "-r": "cjs",
};

export function workerExecArgv(execArgv: readonly string[]): string[] {
  const flags: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    const equals = flag.indexOf("=");
    const name = equals === -1 ? flag : flag.slice(0, equals);
    const kind = preloadFlags[name];
    if (kind === undefined) {
      flags.push(flag);
      continue;
    }
    if (equals !== -1) {
      flags.push(`${name}=${absolutePreload(flag.slice(equals + 1), kind)}`);
    } else if (i + 1 < execArgv.length) {
      flags.push(flag, absolutePreload(execArgv[++i]!, kind));
    } else {
      flags.push(flag);
    }
  }
  return flags;
}

/** The preload `value` resolved from the startup directory; unchanged if it cannot be resolved. */
export function absolutePreload(value: string, kind: "esm" | "cjs"): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[A-Za-z]:[\\/]/.test(value)) return value; // a URL (file:, data:, node:)
  if (isAbsolute(value)) return kind === "esm" ? pathToFileURL(value).href : value;
  const relative = value.startsWith("./") || value.startsWith("../") || value === "." || value === "..";
  try {
    if (kind === "cjs") return nodeModule().createRequire(join(startupDirectory, "noop.js")).resolve(value);
    if (relative) return pathToFileURL(resolve(startupDirectory, value)).href;
    return resolveBare(value, pathToFileURL(join(startupDirectory, "noop.js")).href);
  } catch {
    // Node will report it in the worker as it would have in the main thread.
    return relative ? (kind === "esm" ? pathToFileURL(resolve(startupDirectory, value)).href : resolve(startupDirectory, value)) : value;
  }
}

/** Whether flags (as execArgv) name a module to preload. */
export function hasPreloads(execArgv: readonly string[]): boolean {
  return execArgv.some((flag) => preloadFlags[flag.split("=", 1)[0]!] !== undefined);
}

/** Whether a NODE_OPTIONS value names a module to preload. */
export function nodeOptionsHavePreloads(nodeOptions: string | undefined): boolean {
  return nodeOptions !== undefined && hasPreloads(nodeOptions.split(/\s+/));
}

/**
 * NODE_OPTIONS for the worker, when its preloads need the same treatment (a worker reads
 * NODE_OPTIONS from its environment when it starts); undefined when nothing changes.
 */
export function workerNodeOptions(nodeOptions: string | undefined): string | undefined {
  if (nodeOptions === undefined || !nodeOptionsHavePreloads(nodeOptions)) return undefined;
  // NODE_OPTIONS separates by spaces; values with spaces would be quoted, which is left alone.
  if (/["']/.test(nodeOptions)) return undefined;
  const flags = workerExecArgv(nodeOptions.split(/\s+/).filter(Boolean));
  if (flags.some((flag) => /\s/.test(flag))) return undefined;
  const rewritten = flags.join(" ");
  return rewritten === nodeOptions.trim() ? undefined : rewritten;
}
