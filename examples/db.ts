// The public face of db.impl.ts: the same DBConnection, blocking by default, async with `.aio`.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
// db.impl.api.d.ts is generated from db.impl.ts by `synchronicity-js types` (npm test checks it is up
// to date): unlike `typeof import("./db.impl.js")`, it keeps the generic `query<R>`.
export const api = synchronizer.wrapModule<import("./db.impl.api.js").Api>(new URL("./db.impl.ts", import.meta.url));
