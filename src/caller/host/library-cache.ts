/**
 * The code cache of the worker's library, which the caller makes for its loop threads
 * (protocol/library-code.ts says why, and how the two threads meet).
 *
 * Made once per process, when its first loop thread starts, right after the start: the caller
 * compiles the library (about 3.5 ms) while the thread boots (18 ms or more), and the thread's
 * own load of it then takes about 1.5 ms less. Later threads (a pool's, a restart, another
 * Synchronizer's) get the cache ready before they start. Not made where it cannot pay:
 * - on one CPU, where the caller's compile would take the CPU from the booting thread, which would
 *   then wait for it as long as it saves;
 * - on Bun and Deno, whose `node:vm` makes no V8 code cache;
 * - with source maps on (`--enable-source-maps`): Node maps the stacks of required files only, so
 *   the thread requires its library as usual then (worker/entry.ts checks for itself too).
 * Any failure here only means no cache: the thread then compiles the library itself, and reports
 * what goes wrong as it always did.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { os, vm } from "../../builtins.js";
import { createLibraryCodeBuffer, wrapLibrary, writeLibraryCode } from "../../protocol/library-code.js";
import { onBunOrDeno } from "../support/runtime.js";

interface CompiledLibrary {
  /** The library wrapped as the function compiled (protocol/library-code.ts), UTF-8. */
  readonly source: Buffer;
  readonly cache: Buffer;
}

/** The buffer a loop thread gets in its workerData, and the library's file while the caller has yet to fill it. */
export interface LibraryCode {
  readonly buffer: SharedArrayBuffer;
  readonly pendingFile: string | undefined;
}

// Process-wide, per library file (null: none is made): lib.js and core.js both start threads, each
// with its copy of this module (see scripts/build.mjs).
const compiled = ((globalThis as Record<symbol, unknown>)[Symbol.for("synchronicity.compiledLibraries")] ??= new Map()) as Map<string, CompiledLibrary | null>;

/** For a loop thread about to start: its buffer, filled when the process has the cache already; undefined when none is made. */
export function libraryCodeFor(library: URL): LibraryCode | undefined {
  const file = fileURLToPath(library);
  const known = compiled.get(file);
  if (known === null) return undefined;
  if (known !== undefined) {
    const buffer = createLibraryCodeBuffer(known.source.byteLength + known.cache.byteLength);
    writeLibraryCode(buffer, known.source, known.cache);
    return { buffer, pendingFile: undefined };
  }
  if (onBunOrDeno()) {
    compiled.set(file, null);
    return undefined;
  }
  // Whether it pays is decided after the start (node:os is not loaded yet): an empty buffer costs nothing.
  return { buffer: createLibraryCodeBuffer(), pendingFile: file };
}

/** Once the thread given `code` has started: compile the library and fill its buffer (nothing to do unless it is pending). */
export function completeLibraryCode(code: LibraryCode): void {
  const file = code.pendingFile;
  if (file === undefined) return;
  let made = compiled.get(file);
  if (made === undefined) compiled.set(file, (made = cachePays() ? compile(file) : null));
  if (made !== null && !writeLibraryCode(code.buffer, made.source, made.cache)) compiled.set(file, null);
}

function cachePays(): boolean {
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true) return false;
  return os().availableParallelism() > 1;
}

function compile(file: string): CompiledLibrary | null {
  try {
    const wrapped = wrapLibrary(readFileSync(file, "utf8"));
    const script = new (vm().Script)(wrapped, { filename: file });
    return { source: Buffer.from(wrapped), cache: script.createCachedData() };
  } catch {
    return null;
  }
}
