/**
 * What package resolution reads from disk (package.json files, files and folders), and the error
 * it fails with (a TypeError with Node's error code, as Node's own resolution gives).
 */
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

export class PackageResolutionError extends TypeError {}

export function fail(message: string, code: string): never {
  throw Object.assign(new PackageResolutionError(message), { code });
}

/** LOOKUP_PACKAGE_SCOPE: the folder of the nearest package.json, not crossing node_modules. */
export function packageScope(url: string): URL | undefined {
  let scope = new URL("./", url);
  for (;;) {
    if (scope.pathname.endsWith("/node_modules/")) return undefined;
    if (isFile(new URL("package.json", scope))) return scope;
    const parent = new URL("../", scope);
    if (parent.href === scope.href) return undefined;
    scope = parent;
  }
}

export interface Manifest {
  name?: unknown;
  main?: unknown;
  exports?: unknown;
  imports?: unknown;
}

export function readManifest(packageUrl: URL): Manifest | undefined {
  const file = new URL("package.json", packageUrl);
  if (!isFile(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Manifest;
  } catch (error) {
    fail(`Invalid package config ${fileURLToPath(file)}: ${(error as Error).message}`, "ERR_INVALID_PACKAGE_CONFIG");
  }
}

export function isFile(url: URL): boolean {
  try {
    return statSync(url).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(url: URL): boolean {
  try {
    return statSync(url).isDirectory();
  } catch {
    return false;
  }
}
