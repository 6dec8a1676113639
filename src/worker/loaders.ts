/**
 * TypeScript loaders in the worker: the worker must see what the main thread sees.
 *
 * A worker inherits the caller's execArgv (made absolute by caller/preload-flags.ts), so
 * `--import tsx`, `--require tsx/cjs`, `--experimental-strip-types` and hooks registered by an
 * `--import` preload apply in the worker too. Two gaps remain on Node versions whose module hooks
 * do not reach workers (Node 20, early 22 and 24), where tsx deliberately registers its ESM hooks
 * in the main thread only:
 *
 * - ESM: the worker registers tsx itself, through tsx's own API, when tsx is among the preloads
 *   (`--import tsx`, `--import tsx/esm`, or the tsx CLI's own flags).
 * - CommonJS: a `.ts` file that is CommonJS (a `.cts`, or a `.ts` outside a `"type": "module"`
 *   package) imported through those hooks shows only `default` in a worker; tsx's CommonJS hooks
 *   do work there, so such a file is loaded with `require`, and its namespace built as Node builds
 *   one for CommonJS (`default` plus each export), which is what the main thread sees.
 *
 * Newer Node versions share hooks with workers and tsx registers itself; then this does nothing.
 */
import { readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { isMainThread } from "node:worker_threads";
import { nodeModule, nodeUrl } from "../builtins.js";
import { dynamicImport } from "./importer.js";

/** The tsx files a preload may name, and whether they bring the ESM hooks. */
const tsxPreloads = /[\\/]tsx[\\/]dist[\\/](loader\.mjs|esm[\\/]index\.mjs|preflight\.cjs|cjs[\\/]index\.cjs)$/;

/** Set when this worker registered tsx's ESM hooks itself. */
let tsxRegisteredHere = false;

export async function registerInheritedLoaders(execArgv: readonly string[]): Promise<void> {
  if (isMainThread || hooksAlreadyShared()) return;
  for (const value of preloadValues(execArgv)) {
    const match = tsxPreloads.exec(value);
    if (match === null || !/^(loader\.mjs|esm)/.test(match[1]!)) continue;
    // The tsx package's dist folder: "…/tsx/dist/".
    const dist = toUrl(value.slice(0, match.index + match[0].length - match[1]!.length));
    const api = (await dynamicImport(new URL("esm/api/index.mjs", dist).href)) as { register?: () => unknown };
    if (typeof api.register === "function" && !tsxRegisteredHere) {
      api.register();
      tsxRegisteredHere = true;
    }
  }
}

/**
 * The namespace of a CommonJS TypeScript file loaded the way the main thread would see it, when
 * this worker had to register tsx itself; undefined for anything else (import it as usual).
 */
export function commonJsTypeScript(url: string): Record<string, unknown> | undefined {
  if (!tsxRegisteredHere || !url.startsWith("file:")) return undefined;
  const path = nodeUrl().fileURLToPath(url);
  const extension = extname(path);
  const commonJs = extension === ".cts" || ((extension === ".ts" || extension === ".tsx") && packageType(dirname(path)) !== "module");
  if (!commonJs) return undefined;
  const exports = nodeModule().createRequire(url)(path) as unknown;
  const namespace: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (typeof exports === "object" && exports !== null) {
    for (const key of Object.keys(exports)) if (key !== "default") namespace[key] = (exports as Record<string, unknown>)[key];
  }
  namespace["default"] = exports;
  return namespace;
}

/** The "type" of the nearest package.json. */
function packageType(directory: string): unknown {
  for (let dir = directory; ; dir = dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { type?: unknown }).type;
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}

function* preloadValues(execArgv: readonly string[]): Generator<string> {
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    const match = /^(--import|--require|-r|--loader|--experimental-loader)(?:=(.*))?$/.exec(flag);
    if (match === null) continue;
    const value = match[2] ?? execArgv[++i];
    if (value !== undefined) yield value;
  }
}

function toUrl(spec: string): URL {
  return spec.startsWith("file:") ? new URL(spec) : new URL(`file://${spec.startsWith("/") ? "" : "/"}${spec}`);
}

/**
 * The Node versions on which tsx registers itself inside workers (the list tsx 4 checks):
 * 22.22.3+, 24.11.1+, 25.1+ and 26+. Registering twice would run every file through tsx twice.
 */
const tsxRegistersInWorkers: ReadonlyArray<readonly [number, number, number]> = [
  [22, 22, 3],
  [24, 11, 1],
  [25, 1, 0],
  [26, 0, 0],
];

function hooksAlreadyShared(): boolean {
  const [major = 0, minor = 0, patch = 0] = process.versions.node.split(".").map(Number);
  const last = tsxRegistersInWorkers[tsxRegistersInWorkers.length - 1]!;
  const sameMajor = tsxRegistersInWorkers.find(([m]) => m === major);
  const [m, n, p] = sameMajor ?? (major > last[0] ? last : [Infinity, 0, 0]);
  return major > m || (major === m && (minor > n || (minor === n && patch >= p)));
}
