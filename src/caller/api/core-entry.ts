/**
 * What the caller's front takes from the rest of the library (core-loader.ts): the classes that
 * hold a Synchronizer's state, the module APIs' traps, and what wrap, release and a module wrapped
 * inside its own worker need. In the build, this is the entry point of dist/cjs/core.js
 * (scripts/build.mjs).
 */
export { Core } from "./core.js";
export { PoolCore } from "./pool/pool-core.js";
export { activateModuleApi } from "./module-api.js";
export { wrapInPlace } from "./in-place.js";
export { release } from "../remote/proxies.js";
export { createLocalApi } from "./local-api.js";
