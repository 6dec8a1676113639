/**
 * TypeScript loaders in the worker.
 *
 * A worker inherits the parent's execArgv, so `--import tsx` runs in the worker too. On Node 20,
 * though, module hooks registered in the main thread do not reach workers, and tsx deliberately
 * registers itself only in the main thread there. So the worker registers tsx itself, through
 * tsx's own API, when it finds tsx's loader among the inherited flags. Newer Node versions share
 * hooks with workers and tsx registers itself; then this does nothing.
 */
import { isMainThread } from "node:worker_threads";

const tsxLoader = /[\\/]tsx[\\/]dist[\\/]loader\.mjs$/;

export async function registerInheritedLoaders(execArgv: readonly string[]): Promise<void> {
  if (isMainThread) return;
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    const value = flag === "--import" ? execArgv[i + 1] : flag?.startsWith("--import=") ? flag.slice("--import=".length) : undefined;
    if (value === undefined || !tsxLoader.test(value)) continue;
    const api = (await import(new URL("./esm/api/index.mjs", toUrl(value)).href)) as { register?: () => unknown };
    if (typeof api.register === "function" && !hooksAlreadyShared()) api.register();
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
