/**
 * How the caller's front reaches what making and first using a Synchronizer need (use-entry.ts),
 * which an import of the package does not load: a program that imports the package and never makes
 * a Synchronizer (a CLI that needs it for some commands only) compiles none of it.
 *
 * Here, in the source, it is a plain import. In the build, scripts/build.mjs puts in this module's
 * place, in dist/cjs/lib.js, one whose loadUse() requires dist/cjs/use.js, the first time it is
 * called (by the first `new Synchronizer()`).
 */
import * as use from "./use-entry.js";

export type UseModule = typeof use;

export function loadUse(): UseModule {
  return use;
}
