// A synchronous fetch: `fetchTextSync(url)` blocks until the worker's fetch resolves.
// Typical use: a config loader or a CLI that must stay synchronous.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer({ timeout: 10_000 });
const api = synchronizer.wrapModule<typeof import("./fetch.impl.js")>(new URL("./fetch.impl.ts", import.meta.url));

export const fetchTextSync = api.fetchText;
export const fetchJsonSync = api.fetchJson;
