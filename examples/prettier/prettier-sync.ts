// A synchronous Prettier, the job @prettier/sync does: `format(source, options)` returns the
// formatted string. Prettier's SyntaxError arrives with its own fields (`loc`, `codeFrame`).
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule<typeof import("./prettier.impl.js")>(new URL("./prettier.impl.ts", import.meta.url));

export const format = api.format;
export const check = api.check;
