import { measureStartup } from "./lib/harness.js";
const IMPL = new URL(process.env.IMPL, import.meta.url);
const r = await measureStartup(() => import("synchronicity-js"), ({ Synchronizer }) => new Synchronizer().wrapModule(IMPL).add(1, 2));
console.log(r.importMs.toFixed(2), r.firstCallMs.toFixed(2));
process.exit(0);
