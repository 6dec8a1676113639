/**
 * What the caller's front takes from the part of the library that a Synchronizer's making and first
 * use need, and an import of the package does not (use-loader.ts): checking the options, resolving
 * a module's path from the calling file, and starting the worker's thread. In the build, this is the
 * entry point of dist/cjs/use.js (scripts/build.mjs).
 */
export { hostOptions, validateOptions } from "./options.js";
export { resolveSpecifier } from "../support/resolve.js";
export { callerFileUrl } from "../support/caller-file.js";
export { abandonThread, startThread } from "../host/thread-start.js";
