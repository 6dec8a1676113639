// examples/library/index.ts: the library's public face, both ways from one implementation.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer({ timeout: 5_000 }); // no call of this library waits longer
const glossary = synchronizer.wrapModule<typeof import("./glossary.impl.js")>(new URL("./glossary.impl.ts", import.meta.url));

/** Blocking, for config files, CLIs and synchronous hooks. */
export const defineSync = glossary.define;
/** Async, for everyone else. */
export const define = glossary.define.aio;
/** Cancellable: `defineSlowly.with({ signal })(term, ms)` or `.with({ timeout })`. */
export const defineSlowly = glossary.defineSlowly;
/** The implementation's error class: `error instanceof UnknownTermError` holds in the caller. */
export const UnknownTermError = glossary.UnknownTermError;
