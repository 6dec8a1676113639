// The public face of db.impl.ts: the same DBConnection, blocking by default, async with `.aio`.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
export const api = synchronizer.wrapModule<typeof import("./db.impl.js")>(new URL("./db.impl.ts", import.meta.url));
