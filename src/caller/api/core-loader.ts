/**
 * How the caller's front reaches the rest of the library (core-entry.ts), which an import of the
 * package does not load: it is needed once a Synchronizer is used, not when it is made.
 *
 * Here, in the source, it is a plain import. In the build, scripts/build.mjs puts in this
 * module's place, in dist/cjs/lib.js, one whose loadCore() requires dist/cjs/core.js, the first
 * time it is called. The import of the package then compiles about a fifth of the caller's code.
 */
import * as core from "./core-entry.js";

export type CoreModule = typeof core;

export function loadCore(): CoreModule {
  return core;
}
