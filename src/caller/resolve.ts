/**
 * Turns what a user passes to wrapModule into a URL the worker can import.
 *
 * Relative paths and bare package names must be resolved from the *caller's* file, not from this
 * library's worker file, or `wrapModule("./impl.js")` and `wrapModule("some-package")` would look
 * in the wrong place. The caller's file is read from the stack at the wrapModule call; bare names
 * are resolved the way Node resolves an ESM import ("exports" with the import/node/default
 * conditions, else "main"). `import.meta.resolve(...)` in the caller is always exact and is the
 * documented way for unusual setups.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isLibraryFrame } from "../library-location.js";

const conditions = ["node", "import", "default"];

export function resolveSpecifier(specifier: string | URL, callerUrl: string | undefined): string {
  if (specifier instanceof URL) return specifier.href;
  if (typeof specifier !== "string" || specifier.length === 0) {
    throw new TypeError(`wrapModule: the module must be a URL, a file: URL string or a path, not ${specifier === "" ? "an empty string" : typeof specifier}`);
  }
  // Any URL (file:, data:, node:, but also https: or blob:) goes to the worker's import() as it is,
  // which accepts it or says why not (ERR_UNSUPPORTED_ESM_URL_SCHEME); it is never a package name.
  // A Windows drive letter ("C:\\...") is a path, not a scheme.
  if (/^[a-zA-Z][a-zA-Z\d+.-]+:/.test(specifier)) return specifier;
  if (isAbsolute(specifier)) return pathToFileURL(specifier).href;
  if (specifier.startsWith("./") || specifier.startsWith("../")) {
    if (callerUrl === undefined) {
      throw new TypeError(`wrapModule: cannot resolve the relative path "${specifier}" (the calling file is unknown); pass new URL("${specifier}", import.meta.url)`);
    }
    return new URL(specifier, callerUrl).href;
  }
  return resolvePackage(specifier, callerUrl);
}

/** The file (as a URL) of the first stack frame outside this library: the code that called wrapModule. */
export function callerFileUrl(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 30;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  for (const line of stack.split("\n").slice(1)) {
    if (isLibraryFrame(line)) continue;
    const match = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?\s*$/.exec(line);
    if (match?.[1]) return match[1].startsWith("file:") ? match[1] : pathToFileURL(match[1]).href;
  }
  return undefined;
}

function resolvePackage(specifier: string, callerUrl: string | undefined): string {
  const parts = specifier.split("/");
  const nameLength = specifier.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, nameLength).join("/");
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join("/")}` : ".";
  let dir = callerUrl?.startsWith("file:") ? dirname(fileURLToPath(callerUrl)) : process.cwd();
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return pathToFileURL(resolveInPackage(candidate, subpath, specifier)).href;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new TypeError(`wrapModule: cannot find package "${name}" from ${callerUrl ?? process.cwd()}; pass import.meta.resolve("${specifier}") instead`);
}

function resolveInPackage(dir: string, subpath: string, specifier: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { exports?: unknown; main?: string; module?: string };
  if (manifest.exports !== undefined) {
    const target = matchExports(manifest.exports, subpath);
    if (target === undefined) throw new TypeError(`wrapModule: package "${specifier}" does not export "${subpath}"`);
    return join(dir, target);
  }
  return join(dir, subpath === "." ? (manifest.main ?? "index.js") : subpath);
}

function matchExports(exports: unknown, subpath: string): string | undefined {
  const isSubpathMap = typeof exports === "object" && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith("."));
  if (!isSubpathMap) return subpath === "." ? pickCondition(exports) : undefined;
  const map = exports as Record<string, unknown>;
  if (subpath in map) return pickCondition(map[subpath]);
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf("*");
    if (star === -1) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      const match = subpath.slice(prefix.length, subpath.length - suffix.length);
      return pickCondition(value)?.replaceAll("*", match);
    }
  }
  return undefined;
}

function pickCondition(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const picked = pickCondition(item);
      if (picked !== undefined) return picked;
    }
    return undefined;
  }
  if (typeof target === "object" && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (conditions.includes(condition)) {
        const picked = pickCondition(value);
        if (picked !== undefined) return picked;
      }
    }
  }
  return undefined;
}
