/**
 * Bare specifiers ("pkg", "pkg/sub", "@scope/pkg", "#internal", "fs") resolved from the calling
 * file exactly as that file's own `import` would resolve them: Node's ESM resolution algorithm
 * (nodejs.org/api/esm.html, "Resolution Algorithm Specification"), step by step.
 *
 * Why not ask Node? The resolver Node exposes, `import.meta.resolve`, resolves from the module it
 * is written in; resolving from another file needs the --experimental-import-meta-resolve flag or
 * module hooks in this (the user's) thread. The worker could resolve with hooks, but wrapModule
 * is synchronous and must not start the worker, and a missing package must fail right there.
 * So the algorithm is followed here, and test/resolution.test.ts compares the result with
 * Node's own `import.meta.resolve` from the same file on every case (exports patterns and their
 * order, conditions, legacy "main", self-reference, "imports", builtins), on Node 20, 22 and 24.
 *
 * Conditions ("node", "import", "module-sync" where Node uses it, the user's --conditions, then
 * "default") are package-conditions.ts's. It is the only file of the library this one imports:
 * test/resolution.test.ts transpiles the two alone.
 */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { importConditions } from "./package-conditions.js";
import { nodeModule } from "../builtins.js";

export class PackageResolutionError extends TypeError {}

/** Resolve a bare specifier (or a "#" import) from `parentUrl` to a URL. */
export function resolveBare(specifier: string, parentUrl: string): string {
  if (nodeModule().isBuiltin(specifier)) return specifier.startsWith("node:") ? specifier : `node:${specifier}`;
  const resolved = specifier.startsWith("#") ? resolveImports(specifier, parentUrl) : resolvePackage(specifier, parentUrl);
  return finalize(resolved, specifier, parentUrl);
}

function fail(message: string, code: string): never {
  throw Object.assign(new PackageResolutionError(message), { code });
}

/** PACKAGE_RESOLVE */
function resolvePackage(specifier: string, parentUrl: string): URL {
  const { name, subpath } = parsePackageName(specifier, parentUrl);
  const self = resolveSelf(name, subpath, parentUrl);
  if (self !== undefined) return self;
  let directory = new URL("./", parentUrl);
  for (;;) {
    const packageUrl = new URL(`node_modules/${name}/`, directory);
    if (isDirectory(packageUrl)) {
      const manifest = readManifest(packageUrl);
      if (manifest?.exports !== undefined && manifest.exports !== null) return resolveExports(packageUrl, subpath, manifest.exports, specifier, parentUrl);
      if (subpath === ".") return resolveLegacyMain(packageUrl, manifest?.main, specifier, parentUrl);
      return new URL(subpath, packageUrl);
    }
    const parent = new URL("../", directory);
    if (parent.href === directory.href) break;
    directory = parent;
  }
  fail(`cannot find package "${name}" from ${displayParent(parentUrl)}`, "ERR_MODULE_NOT_FOUND");
}

function parsePackageName(specifier: string, parentUrl: string): { name: string; subpath: string } {
  let separator = specifier.indexOf("/");
  if (specifier.startsWith("@")) {
    if (separator === -1) fail(`Invalid module "${specifier}" is not a valid package name imported from ${displayParent(parentUrl)}`, "ERR_INVALID_MODULE_SPECIFIER");
    separator = specifier.indexOf("/", separator + 1);
  }
  const name = separator === -1 ? specifier : specifier.slice(0, separator);
  if (name.startsWith(".") || name.includes("\\") || name.includes("%")) {
    fail(`Invalid module "${specifier}" is not a valid package name imported from ${displayParent(parentUrl)}`, "ERR_INVALID_MODULE_SPECIFIER");
  }
  return { name, subpath: `.${separator === -1 ? "" : specifier.slice(separator)}` };
}

/** PACKAGE_SELF_RESOLVE: a package importing itself by name. */
function resolveSelf(name: string, subpath: string, parentUrl: string): URL | undefined {
  const scope = packageScope(parentUrl);
  if (scope === undefined) return undefined;
  const manifest = readManifest(scope);
  if (manifest?.name !== name || manifest.exports === undefined || manifest.exports === null) return undefined;
  return resolveExports(scope, subpath, manifest.exports, name + subpath.slice(1), parentUrl);
}

/** PACKAGE_IMPORTS_RESOLVE: "#name" from the "imports" of the caller's own package. */
function resolveImports(specifier: string, parentUrl: string): URL {
  if (specifier === "#" || specifier.startsWith("#/")) fail(`Invalid module "${specifier}" imported from ${displayParent(parentUrl)}`, "ERR_INVALID_MODULE_SPECIFIER");
  const scope = packageScope(parentUrl);
  const imports = scope === undefined ? undefined : readManifest(scope)?.imports;
  if (scope !== undefined && typeof imports === "object" && imports !== null && !Array.isArray(imports)) {
    const resolved = resolveImportsExports(specifier, imports as Record<string, unknown>, scope, true, specifier, parentUrl);
    if (resolved !== undefined && resolved !== null) return resolved;
  }
  fail(`Package import specifier "${specifier}" is not defined imported from ${displayParent(parentUrl)}`, "ERR_PACKAGE_IMPORT_NOT_DEFINED");
}

/** PACKAGE_EXPORTS_RESOLVE */
function resolveExports(packageUrl: URL, subpath: string, exports: unknown, specifier: string, parentUrl: string): URL {
  const isObject = typeof exports === "object" && exports !== null && !Array.isArray(exports);
  const keys = isObject ? Object.keys(exports) : [];
  const dotKeys = keys.filter((key) => key.startsWith("."));
  if (dotKeys.length > 0 && dotKeys.length !== keys.length) {
    fail(`Invalid package config ${fileURLToPath(new URL("package.json", packageUrl))}: "exports" cannot contain some keys starting with '.' and some not`, "ERR_INVALID_PACKAGE_CONFIG");
  }
  if (subpath === ".") {
    const main = dotKeys.length === 0 ? exports : (exports as Record<string, unknown>)["."];
    if (main !== undefined) {
      const resolved = resolveTarget(packageUrl, main, undefined, false, specifier, parentUrl);
      if (resolved !== undefined && resolved !== null) return resolved;
    }
  } else if (dotKeys.length > 0) {
    const resolved = resolveImportsExports(subpath, exports as Record<string, unknown>, packageUrl, false, specifier, parentUrl);
    if (resolved !== undefined && resolved !== null) return resolved;
  }
  fail(
    `package "${specifier}" does not export "${subpath}" (no match in the "exports" of ${fileURLToPath(new URL("package.json", packageUrl))} for the conditions ${importConditions().join(", ")}), imported from ${displayParent(parentUrl)}`,
    "ERR_PACKAGE_PATH_NOT_EXPORTED",
  );
}

/** PACKAGE_IMPORTS_EXPORTS_RESOLVE: exact keys first, then patterns, the most specific first. */
function resolveImportsExports(matchKey: string, matchObject: Record<string, unknown>, packageUrl: URL, isImports: boolean, specifier: string, parentUrl: string): URL | null | undefined {
  if (Object.hasOwn(matchObject, matchKey) && !matchKey.includes("*")) {
    return resolveTarget(packageUrl, matchObject[matchKey], undefined, isImports, specifier, parentUrl);
  }
  const patterns = Object.keys(matchObject)
    .filter((key) => key.indexOf("*") !== -1 && key.indexOf("*") === key.lastIndexOf("*"))
    .sort(patternKeyCompare);
  for (const key of patterns) {
    const star = key.indexOf("*");
    const base = key.slice(0, star);
    if (!matchKey.startsWith(base) || matchKey === base) continue;
    const trailer = key.slice(star + 1);
    if (trailer.length > 0 && !(matchKey.endsWith(trailer) && matchKey.length >= key.length)) continue;
    const match = matchKey.slice(base.length, matchKey.length - trailer.length);
    return resolveTarget(packageUrl, matchObject[key], match, isImports, specifier, parentUrl);
  }
  return null;
}

/** PATTERN_KEY_COMPARE: a longer prefix before "*" first, then the longer key. */
function patternKeyCompare(a: string, b: string): number {
  const baseA = a.indexOf("*") === -1 ? a.length : a.indexOf("*") + 1;
  const baseB = b.indexOf("*") === -1 ? b.length : b.indexOf("*") + 1;
  if (baseA > baseB) return -1;
  if (baseB > baseA) return 1;
  if (!a.includes("*")) return 1;
  if (!b.includes("*")) return -1;
  if (a.length > b.length) return -1;
  if (b.length > a.length) return 1;
  return 0;
}

const invalidSegment = /(^|\\|\/)((\.|%2e)(\.|%2e)?|(n|%6e|%4e)(o|%6f|%4f)(d|%64|%44)(e|%65|%45)(_|%5f)(m|%6d|%4d)(o|%6f|%4f)(d|%64|%44)(u|%75|%55)(l|%6c|%4c)(e|%65|%45)(s|%73|%53))?(\\|\/|$)/i;

/** PACKAGE_TARGET_RESOLVE: undefined when no condition matched, null when the target is null. */
function resolveTarget(packageUrl: URL, target: unknown, patternMatch: string | undefined, isImports: boolean, specifier: string, parentUrl: string): URL | null | undefined {
  if (typeof target === "string") {
    if (!target.startsWith("./")) {
      if (!isImports || target.startsWith("../") || target.startsWith("/") || URL.canParse(target)) invalidTarget(packageUrl, target, specifier, parentUrl);
      const mapped = patternMatch === undefined ? target : target.replaceAll("*", patternMatch);
      return new URL(resolveBare(mapped, packageUrl.href));
    }
    if (invalidSegment.test(target.slice(2))) invalidTarget(packageUrl, target, specifier, parentUrl);
    const resolved = new URL(target, packageUrl);
    if (patternMatch === undefined) return resolved;
    if (invalidSegment.test(patternMatch)) fail(`Invalid module "${specifier}" request is not a valid match in pattern imported from ${displayParent(parentUrl)}`, "ERR_INVALID_MODULE_SPECIFIER");
    return new URL(resolved.href.replaceAll("*", encodeURI(patternMatch).replaceAll("%2F", "/")));
  }
  if (Array.isArray(target)) {
    if (target.length === 0) return null;
    let lastError: unknown;
    for (const item of target) {
      let resolved: URL | null | undefined;
      try {
        resolved = resolveTarget(packageUrl, item, patternMatch, isImports, specifier, parentUrl);
      } catch (error) {
        lastError = error;
        if ((error as { code?: string }).code === "ERR_INVALID_PACKAGE_TARGET") continue;
        throw error;
      }
      if (resolved === undefined) continue;
      if (resolved === null) {
        lastError = null;
        continue;
      }
      return resolved;
    }
    if (lastError === undefined || lastError === null) return null;
    throw lastError;
  }
  if (typeof target === "object" && target !== null) {
    const conditions = importConditions();
    for (const key of Object.keys(target)) {
      if (/^\d+$/.test(key)) fail(`Invalid package config ${fileURLToPath(new URL("package.json", packageUrl))}: "exports" cannot contain numeric property keys`, "ERR_INVALID_PACKAGE_CONFIG");
    }
    for (const [condition, value] of Object.entries(target)) {
      if (condition !== "default" && !conditions.includes(condition)) continue;
      const resolved = resolveTarget(packageUrl, value, patternMatch, isImports, specifier, parentUrl);
      if (resolved === undefined) continue;
      return resolved;
    }
    return undefined;
  }
  if (target === null) return null;
  invalidTarget(packageUrl, target, specifier, parentUrl);
}

function invalidTarget(packageUrl: URL, target: unknown, specifier: string, parentUrl: string): never {
  fail(`Invalid "exports" target ${JSON.stringify(target)} defined for '${specifier}' in the package config ${fileURLToPath(new URL("package.json", packageUrl))} imported from ${displayParent(parentUrl)}`, "ERR_INVALID_PACKAGE_TARGET");
}

/** LEGACY_MAIN_RESOLVE: "main" with the extensions and index files CommonJS would try. */
function resolveLegacyMain(packageUrl: URL, main: unknown, specifier: string, parentUrl: string): URL {
  const candidates: string[] = [];
  if (typeof main === "string") {
    candidates.push(`./${main}`, `./${main}.js`, `./${main}.json`, `./${main}.node`, `./${main}/index.js`, `./${main}/index.json`, `./${main}/index.node`);
  }
  candidates.push("./index.js", "./index.json", "./index.node");
  for (const candidate of candidates) {
    const url = new URL(candidate, packageUrl);
    if (isFile(url)) return url;
  }
  fail(`Cannot find package '${fileURLToPath(packageUrl)}' imported from ${displayParent(parentUrl)}`, "ERR_MODULE_NOT_FOUND");
}

/** The resolved URL must name an existing file (not a directory); symlinks are resolved, as Node does. */
function finalize(url: URL, specifier: string, parentUrl: string): string {
  if (url.protocol !== "file:") return url.href;
  if (/%2f|%5c/i.test(url.pathname)) fail(`Invalid module "${url.href}" must not include encoded "/" or "\\" characters imported from ${displayParent(parentUrl)}`, "ERR_INVALID_MODULE_SPECIFIER");
  const path = fileURLToPath(url);
  // Like import.meta.resolve, a missing file or a directory is not an error here: the worker's
  // import of the URL then fails with Node's own error (a ModuleLoadError), never loading another file.
  void specifier;
  const preserve = process.execArgv.includes("--preserve-symlinks");
  const real = preserve || !existsSync(path) ? path : realpathSync(path);
  return pathToFileURL(real).href + url.search + url.hash;
}

/** LOOKUP_PACKAGE_SCOPE: the folder of the nearest package.json, not crossing node_modules. */
function packageScope(url: string): URL | undefined {
  let scope = new URL("./", url);
  for (;;) {
    if (scope.pathname.endsWith("/node_modules/")) return undefined;
    if (isFile(new URL("package.json", scope))) return scope;
    const parent = new URL("../", scope);
    if (parent.href === scope.href) return undefined;
    scope = parent;
  }
}

interface Manifest {
  name?: unknown;
  main?: unknown;
  exports?: unknown;
  imports?: unknown;
}

function readManifest(packageUrl: URL): Manifest | undefined {
  const file = new URL("package.json", packageUrl);
  if (!isFile(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Manifest;
  } catch (error) {
    fail(`Invalid package config ${fileURLToPath(file)}: ${(error as Error).message}`, "ERR_INVALID_PACKAGE_CONFIG");
  }
}

function isFile(url: URL): boolean {
  try {
    return statSync(url).isFile();
  } catch {
    return false;
  }
}

function isDirectory(url: URL): boolean {
  try {
    return statSync(url).isDirectory();
  } catch {
    return false;
  }
}

function displayParent(parentUrl: string): string {
  return parentUrl.startsWith("file:") ? fileURLToPath(parentUrl) : parentUrl;
}
