// What loading the package loads: argv[2] is "import" or "require". Prints, as JSON, the costly
// Node built-ins (src/builtins.ts) that the load itself added to the process, then those that the
// first Synchronizer and its first call added: the first list must stay empty.
// (node:module is watched too, so the import form must not load it itself.)
const watched = ["worker_threads", "v8", "diagnostics_channel", "os", "module"];
const loaded = () => new Set(process.moduleLoadList.filter((entry) => entry.startsWith("NativeModule ")).map((entry) => entry.slice("NativeModule ".length)));
const added = (before, after) => watched.filter((name) => after.has(name) && !before.has(name));

const beforeImport = loaded();
const requireHere = process.argv[2] === "require" ? (await import("node:module")).createRequire(import.meta.url) : undefined;
const beforeLoad = requireHere === undefined ? beforeImport : loaded();
const library = requireHere === undefined ? await import("synchronicity-js") : requireHere("synchronicity-js");
const afterImport = loaded();

const synchronizer = new library.Synchronizer();
const sum = synchronizer.wrapModule(new URL("./module-systems/impl.mjs", import.meta.url)).square(3);
const afterCall = loaded();
await synchronizer.close();

console.log(JSON.stringify({ byImport: added(beforeLoad, afterImport), byFirstCall: added(afterImport, afterCall), sum }));
