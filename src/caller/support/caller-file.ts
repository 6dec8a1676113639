/**
 * Which file called wrapModule: relative paths and package names are resolved from it, as that
 * file's own `import` would resolve them.
 *
 * The file is read from V8's structured call sites, never by parsing stack text: a path may
 * contain "(", ")" or ":", which a text parser cannot tell from the frame's own punctuation, and
 * a wrong guess would silently load another file of the same name. With source maps on
 * (--enable-source-maps, tsx), stack text also names the original source file, not the module
 * that runs; call sites name the running module. Three ways to get call sites, in order:
 *
 * 1. `util.getCallSites` (Node 22.9+);
 * 2. a temporary `Error.prepareStackTrace`, which receives the call sites (Node 20);
 * 3. under --frozen-intrinsics on Node 20, neither is possible: the stack text is read, and a
 *    location is accepted only if exactly one reading of it names an existing file; otherwise the
 *    caller is unknown, and relative paths fail with an error saying what to pass instead.
 */
import { existsSync } from "node:fs";
import { getCallSites as nodeGetCallSites } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isLibraryFrame } from "../../library-location.js";
import { withStackTraceLimit } from "./site.js";

/** Enough frames to get past this library's own (wrapModule and its helpers). */
const FRAMES = 30;

/** The file (as a URL) of the first stack frame outside this library: the code that called wrapModule. */
export function callerFileUrl(): string | undefined {
  const names = scriptNames();
  for (const name of names) {
    if (name === undefined || name === "" || name.startsWith("node:") || isLibraryFrame(name)) continue;
    if (name.startsWith("file:")) return name;
    if (name.startsWith("/") || /^[A-Za-z]:[\\/]/.test(name)) return pathToFileURL(name).href;
    // Another scheme (data:, a bundler's virtual file): not a file relative paths can start from.
    return undefined;
  }
  return undefined;
}

type GetCallSites = (frames: number) => Array<{ scriptName: string }>;

// util.getCallSites exists from Node 22.9; the @types/node this project builds with does not
// declare it. (A named import, not `import * as util`: copying the whole namespace at load time
// reads every lazy export of node:util, which on Node 22 loads worker_threads and streams.)
declare module "node:util" {
  export const getCallSites: GetCallSites | undefined;
}

/** The script of each frame, innermost first. */
function scriptNames(): Array<string | undefined> {
  const getCallSites = nodeGetCallSites;
  if (typeof getCallSites === "function") return getCallSites(FRAMES).map((site) => site.scriptName);
  const fromSites = viaPrepareStackTrace();
  if (fromSites !== undefined) return fromSites;
  return fromStackText();
}

interface CallSite {
  getFileName(): string | undefined;
}

function viaPrepareStackTrace(): Array<string | undefined> | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace");
  if (descriptor !== undefined && descriptor.writable !== true && descriptor.set === undefined) return undefined;
  if (descriptor === undefined && Object.isFrozen(Error)) return undefined;
  const saved = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    const holder: { stack?: unknown } = {};
    withStackTraceLimit(FRAMES, () => Error.captureStackTrace(holder));
    const sites = holder.stack;
    return Array.isArray(sites) ? (sites as CallSite[]).map((site) => site.getFileName()) : undefined;
  } catch {
    return undefined;
  } finally {
    try {
      Error.prepareStackTrace = saved;
    } catch {
      // Could not have been changed either.
    }
  }
}

/**
 * The last resort: frames as text ("    at fn (LOCATION:line:col)" or "    at LOCATION:line:col").
 * LOCATION may itself contain " (", ")" and ":", so every reading is tried and kept only if it
 * names an existing file; an ambiguous or unreadable frame ends the search (caller unknown).
 */
function fromStackText(): Array<string | undefined> {
  const holder: { stack?: unknown } = {};
  Error.captureStackTrace(holder);
  const lines = typeof holder.stack === "string" ? holder.stack.split("\n").slice(1) : [];
  const names: Array<string | undefined> = [];
  for (const line of lines) {
    const text = line.replace(/^\s*at /, "");
    const position = /:\d+:\d+\)?$/.exec(text);
    if (position === null) continue; // native or anonymous frames have no file
    const location = text.slice(0, position.index);
    if (isLibraryFrame(location) || /(^|\()node:/.test(location)) continue;
    const readings = new Set<string>();
    // "LOCATION" alone, or "name (LOCATION": try every " (" as the start of the location.
    if (!text.endsWith(")")) readings.add(location);
    for (let i = location.indexOf(" ("); i !== -1; i = location.indexOf(" (", i + 1)) readings.add(location.slice(i + 2));
    const existing = [...readings].filter(isExistingFile);
    // The caller's frame: one reading, or none usable (then the caller stays unknown).
    names.push(existing.length === 1 ? existing[0] : undefined);
    break;
  }
  return names;
}

function isExistingFile(location: string): boolean {
  try {
    return existsSync(location.startsWith("file:") ? fileURLToPath(location) : location);
  } catch {
    return false;
  }
}
