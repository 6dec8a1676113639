// What loading the package loads: argv[2] is "import" or "require". Prints, as JSON, the costly
// Node built-ins (src/builtins.ts) that the load itself added to the process, then those that the
// first Synchronizer and its first call added: the first list must stay empty. Then when the rest
// of the caller's library loads.
// (node:module is watched too, so the import form must not load it itself.)
const watched = ["worker_threads", "v8", "diagnostics_channel", "os", "module"];
const loaded = () => new Set(process.moduleLoadList.filter((entry) => entry.startsWith("NativeModule ")).map((entry) => entry.slice("NativeModule ".length)));
const added = (before, after) => watched.filter((name) => after.has(name) && !before.has(name));

const beforeImport = loaded();
const requireHere = process.argv[2] === "require" ? (await import("node:module")).createRequire(import.meta.url) : undefined;
const beforeLoad = requireHere === undefined ? beforeImport : loaded();
const library = requireHere === undefined ? await import("synchronicity-js") : requireHere("synchronicity-js");
const afterImport = loaded();

// Whether the rest of the caller's library (dist/cjs/core.js, scripts/build.mjs) is loaded: not by
// the import, nor by making a Synchronizer and wrapping a module, nor by the keys tools probe.
const { createRequire } = await import("node:module");
const cache = createRequire(import.meta.url).cache;
const coreLoaded = () => Object.keys(cache).some((file) => /[\\/]dist[\\/]cjs[\\/]core\.js$/.test(file));
const core = { byImport: coreLoaded() };
// Nor closing or disposing of a Synchronizer that was never used (a CLI path that did not need it).
const unused = new library.Synchronizer();
await unused.close();
const disposed = new library.Synchronizer();
disposed[Symbol.dispose]();
core.byClosingUnused = coreLoaded();
core.closedFlags = [unused.closed, disposed.closed];

const synchronizer = new library.Synchronizer();
const api = synchronizer.wrapModule(new URL("./module-systems/impl.mjs", import.meta.url));
core.probed = [api.then, api.toJSON, Object.prototype.toString.call(api)];
core.byWrapModule = coreLoaded();
const sum = api.square(3);
const afterCall = loaded();
core.byFirstCall = coreLoaded();
// What was closed unused refuses later calls as any closed synchronizer does.
core.refused = [unused, disposed].map((closed) => {
  try {
    closed.wrapModule(new URL("./module-systems/impl.mjs", import.meta.url)).square(2);
    return "no error";
  } catch (error) {
    return `${error.name}: ${error.message}`;
  }
});
await synchronizer.close();

console.log(JSON.stringify({ byImport: added(beforeLoad, afterImport), byFirstCall: added(afterImport, afterCall), sum, core }));
