// What loading the package loads: argv[2] is "import" or "require". Prints, as JSON, the costly
// Node built-ins (src/builtins.ts) that the load itself added to the process, then those that the
// first Synchronizer and its first call added: the first list must stay empty.
import { createRequire } from "node:module";

const watched = ["worker_threads", "v8", "diagnostics_channel", "os"];
const loaded = () => new Set(process.moduleLoadList.filter((entry) => entry.startsWith("NativeModule ")).map((entry) => entry.slice("NativeModule ".length)));
const added = (before, after) => watched.filter((name) => after.has(name) && !before.has(name));

const beforeImport = loaded();
const library = process.argv[2] === "require" ? createRequire(import.meta.url)("synchronicity-js") : await import("synchronicity-js");
const afterImport = loaded();

const synchronizer = new library.Synchronizer();
const sum = synchronizer.wrapModule(new URL("./module-systems/impl.mjs", import.meta.url)).square(3);
const afterCall = loaded();
await synchronizer.close();

console.log(JSON.stringify({ byImport: added(beforeImport, afterImport), byFirstCall: added(afterImport, afterCall), sum }));
