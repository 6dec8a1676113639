/**
 * Turns what a user passes to wrapModule into a URL the worker can import.
 *
 * Relative paths and bare package names must be resolved from the *caller's* file, not from this
 * library's worker file, or `wrapModule("./impl.js")` and `wrapModule("some-package")` would look
 * in the wrong place. The caller's file comes from V8's call sites (caller-file.ts); bare names
 * and "#imports" follow Node's ESM resolution from that file (package-resolution.ts), builtins
 * ("fs") become "node:fs". `import.meta.resolve(...)` in the caller is always exact.
 */
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { PackageResolutionError, resolveBare } from "../package-resolution.js";

export { callerFileUrl } from "./caller-file.js";

/**
 * `caller` is the calling file's URL, or the function that finds it (callerFileUrl), called only
 * for a relative path or a package name: finding it reads the stack, 0.3 ms of a first call that
 * passes a URL or an absolute path.
 */
export function resolveSpecifier(specifier: string | URL, caller: string | undefined | (() => string | undefined)): string {
  if (specifier instanceof URL) return specifier.href;
  if (typeof specifier !== "string" || specifier.length === 0) {
    throw new TypeError(`wrapModule: the module must be a URL, a file: URL string or a path, not ${specifier === "" ? "an empty string" : typeof specifier}`);
  }
  // Any URL (file:, data:, node:, but also https: or blob:) goes to the worker's import() as it is,
  // which accepts it or says why not (ERR_UNSUPPORTED_ESM_URL_SCHEME); it is never a package name.
  // A Windows drive letter ("C:\\...") is a path, not a scheme.
  if (/^[a-zA-Z][a-zA-Z\d+.-]+:/.test(specifier)) return specifier;
  if (isAbsolute(specifier)) return pathToFileURL(specifier).href;
  const callerUrl = typeof caller === "function" ? caller() : caller;
  if (specifier.startsWith("./") || specifier.startsWith("../")) {
    if (callerUrl === undefined) {
      throw new TypeError(`wrapModule: cannot resolve the relative path "${specifier}" (the calling file is unknown); pass new URL("${specifier}", import.meta.url)`);
    }
    return new URL(specifier, callerUrl).href;
  }
  return resolvePackage(specifier, callerUrl);
}

function resolvePackage(specifier: string, callerUrl: string | undefined): string {
  // Code that is not in a file (eval, the REPL) imports from the current directory, as in Node.
  const parent = callerUrl?.startsWith("file:") ? callerUrl : pathToFileURL(`${process.cwd()}/`).href;
  try {
    return resolveBare(specifier, parent);
  } catch (error) {
    if (!(error instanceof PackageResolutionError)) throw error;
    const name = /^cannot find package "([^"]+)"/.exec(error.message)?.[1];
    const message = name !== undefined ? `cannot find package "${name}" from ${callerUrl ?? process.cwd()}` : error.message;
    throw new TypeError(`wrapModule: ${message}; pass import.meta.resolve("${specifier}") instead`, { cause: error });
  }
}
