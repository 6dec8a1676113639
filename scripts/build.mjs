#!/usr/bin/env node
// Builds the package's JavaScript after `tsc` has written the declarations into dist/types (and
// before it compiles the test fixtures, which import the package: its declarations are the copies
// this writes into dist/cjs, step 2).
//
// One copy of the library per thread: the code is compiled as CommonJS, because Node 20 cannot
// require() an ES module, while an ES module can always import CommonJS. It is bundled into three
// files, and every entry point is a stub that requires one of them (except the ES module entries
// of steps 4 and 5, for a faster import where Node has "module-sync"; they share the same state):
//
//   dist/cjs/lib.js         the caller's front     <- dist/cjs/index.js (require of "synchronicity-js"; import
//                                                     where Node lacks "module-sync": step 4 builds the front
//                                                     again as an ES module, dist/cjs/index.mjs, for the others)
//   dist/cjs/core.js        the rest of the caller's library, which lib.js requires on first use
//   dist/cjs/worker-lib.js  the worker's library   <- dist/cjs/worker/context.js ("synchronicity-js/worker";
//                                                     its import: context.mjs where Node has "module-sync", step 5)
//                                                     and dist/cjs/worker/loop.js (the loop thread's entry,
//                                                     which may compile it from the caller's code cache)
//
// So a thread that loads several of them (the worker's loop, plus "synchronicity-js/worker" from
// the implementation; an ESM app using a CommonJS plugin) shares one module state: one exit
// listener, one set of error classes, one AsyncLocalStorage for the current call. The worker
// thread loads only the worker's library (about half the caller's size), which shortens every
// start; an implementation that imports "synchronicity-js" too gets the same error classes (each
// bundle has a copy of them, and uses the one of the first bundle loaded: see sharedErrors below;
// the rest of the state the two libraries share lives on globalThis too, under Symbol.for keys:
// the call context, the in-place registry, the loop's loaded modules). A few
// files also load several times faster than ninety (start-up), and calls between the library's
// modules are plain calls, not the getters of CommonJS re-exports (the hot path).
//
// The caller's library is two files so that importing the package compiles only its front: the
// public classes, option checks and module resolution, the proxies wrapModule returns, and what
// starts the worker's thread (the Synchronizer starts it before it loads the rest, which then loads
// while the thread boots: src/synchronizer.ts). core.js takes the front's classes that users test
// with instanceof (Future, RemoteObject) from lib.js, so there is one of each; the error classes
// as every bundle does; other modules the two share are copied into both, and must hold no state
// (checked below).
//
// Four entry points are bundles of their own, since they share no state with the rest: the loop
// thread's entry (dist/cjs/worker/loop.js, src/worker/entry.ts), the supervisor thread
// (dist/cjs/worker/supervisor.js), the worker's preload that reports the errors of the user's
// preloads (dist/cjs/worker/boot-watch.js), and the type generator's CLI (dist/cjs/typegen/cli.js).
import { build } from "esbuild";
import { cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");

await rm(join(dist, "cjs"), { recursive: true, force: true });
// (dist/esm held ES module entry points; a build from before they went may have left it.)
await rm(join(dist, "esm"), { recursive: true, force: true });

// 1. The bundles. `import.meta.url` does not exist in CommonJS; each bundle gets its own from
// __filename (so lib.js's is dist/cjs/lib.js: library-location.ts and worker-files.ts count on it).
const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  packages: "external",
  // Computed on first read, not when the bundle loads (a cold pathToFileURL is 0.1-0.3 ms of an import).
  define: { "import.meta.url": "__synchronicityModule.url" },
  // (No __filename when a bundler copies these files into an ES module: caller/worker-files.ts
  // then reports that the library was bundled.)
  banner: {
    js: 'var __synchronicityModule = { get url() { const url = typeof __filename === "string" ? require("node:url").pathToFileURL(__filename).href : undefined; Object.defineProperty(this, "url", { value: url }); return url; } };',
  },
};
// The source file an import in the source names (imports say .js; the files are .ts).
const sourceOf = (args) => join(args.resolveDir, args.path).replace(/\.js$/, ".ts");
// The names a source file exports (the files read this way export classes, consts and functions only).
const exportedNames = async (file) => [...(await readFile(file, "utf8")).matchAll(/^export (?:class|const|function) (\w+)/gm)].map((match) => match[1]);

// One set of error classes per thread, whichever bundles it loads (an implementation that imports
// "synchronicity-js" inside the worker holds the worker's library and the caller's): `instanceof`
// holds whichever bundle made the error, and each recognizes the other's as its own. Each bundle
// has a copy of errors.ts, and uses the classes of the first copy that ran in the thread, kept on
// globalThis under a key with this package's version (another version has classes of its own).
// (They used to be a file of their own that each bundle required: 0.5 ms more of every import and
// of every worker's start.)
const errorsSource = join(src, "errors.ts");
const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
const sharedErrors = {
  name: "shared-errors",
  setup(build) {
    build.onResolve({ filter: /errors(\.[jt]s)?$/ }, (args) => {
      if (sourceOf(args) !== errorsSource) return undefined;
      return args.namespace === "shared-errors" ? { path: errorsSource } : { path: errorsSource, namespace: "shared-errors" };
    });
    build.onLoad({ filter: /.*/, namespace: "shared-errors" }, async () => {
      const names = await exportedNames(errorsSource);
      return {
        contents:
          `import * as local from ${JSON.stringify(errorsSource)};\n` +
          `const shared = (globalThis[Symbol.for(${JSON.stringify(`synchronicity.errors@${version}`)})] ??= Object.freeze({ ...local }));\n` +
          `export const { ${names.join(", ")} } = shared;\n`,
        loader: "js",
        resolveDir: src,
      };
    });
  },
};
// In lib.js, core-loader.ts requires core.js instead of importing core-entry.ts. Should core.js be
// missing (a bundler copied the front into a bundle without the files beside it, as webpack does
// with index.mjs from 5.107, which knows "module-sync"), workerEntries() throws the error that says
// to keep the package external, instead of Node's "Cannot find module './core.js'".
const coreLoader = join(src, "caller", "api", "core-loader.ts");
const lazyCore = (requireName = "require") => ({
  name: "lazy-core",
  setup(build) {
    build.onLoad({ filter: /core-loader\.ts$/ }, (args) =>
      args.path === coreLoader
        ? {
            contents:
              `import { workerEntries } from ${JSON.stringify(join(src, "caller", "host", "worker-files.ts"))};\n` +
              `let core;\nexport function loadCore() {\n  if (core === undefined) {\n    try {\n      core = ${requireName}("./core.js");\n` +
              `    } catch (error) {\n      workerEntries();\n      throw error;\n    }\n  }\n  return core;\n}\n`,
            loader: "js",
            resolveDir: join(src, "caller", "api"),
          }
        : undefined,
    );
    build.onResolve({ filter: /^\.\/core\.js$/ }, (args) => (args.importer === coreLoader ? { path: "./core.js", external: true } : undefined));
  },
});
// The package's exports, one object per thread whichever front made it: the first front to load
// (dist/cjs/lib.js for require(), dist/cjs/index.mjs for import: step 4) keeps its exports here,
// and each front exports what it finds here. So a process that loads both forms (an ES module app
// with a CommonJS plugin) has one Synchronizer class, one Future class, one exit listener; the
// second front's own copies are never used. Keyed by version, as the error classes are.
const frontKey = `synchronicity.front@${version}`;
// In core.js, these front modules are lib.js's: their exports are among the package's own.
const frontOwned = [join(src, "caller", "remote", "future.ts"), join(src, "caller", "remote", "remote-object.ts")];
const fromFront = {
  name: "from-front",
  setup(build) {
    build.onResolve({ filter: /\.js$/ }, (args) => {
      const target = sourceOf(args);
      if (frontOwned.includes(target)) return { path: target, namespace: "front" };
      if (args.path === "./lib.js" && args.namespace === "front") return { path: "./lib.js", external: true };
      return undefined;
    });
    // The front that loaded first (see frontKey); lib.js if none has, which never happens in use,
    // since a front loads core.js.
    build.onLoad({ filter: /.*/, namespace: "front" }, () => ({ contents: `module.exports = globalThis[Symbol.for(${JSON.stringify(frontKey)})] ?? require("./lib.js").index;\n`, loader: "js", resolveDir: src }));
  },
};
// The package resolver (caller/package-resolution.ts, with package-conditions.ts) is a file of its
// own too, which lib.js and core.js require the first time they use it: only for a package name
// (wrapModule("some-package"), --import some-package), which most programs never pass. Its
// importers get an object whose exports load it when read.
const packageResolution = join(src, "caller", "package-resolution.ts");
const lazyPackageResolution = (requireName = "require") => ({
  name: "lazy-package-resolution",
  setup(build) {
    build.onResolve({ filter: /package-resolution\.js$/ }, (args) => {
      if (args.namespace === "lazy-package-resolution") return { path: "./package-resolution.js", external: true };
      return sourceOf(args) === packageResolution ? { path: packageResolution, namespace: "lazy-package-resolution" } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: "lazy-package-resolution" }, async () => {
      const names = await exportedNames(packageResolution);
      return {
        contents:
          `let loaded;\nconst load = () => (loaded ??= ${requireName}("./package-resolution.js"));\n` +
          names.map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { get: () => load()[${JSON.stringify(name)}], enumerable: true });\n`).join(""),
        loader: "js",
        resolveDir: join(src, "caller"),
      };
    });
  },
});

// Modules copied into both lib.js and core.js: two copies of each behave as one. They hold no
// state, or only a cache of what both copies compute alike (builtins.ts, worker-files.ts), or keep
// it on globalThis (stack.ts, preload-flags.ts; errors.ts, see sharedErrors). A module that
// appears in both and is not listed here fails the build: make it so and list it, or keep it on
// one side. (A listed module that is no longer in both fails it too, so that the list stays true.)
const statelessInBoth = new Set([
  "src/builtins.ts",
  "src/errors.ts",
  "src/caller/api/options.ts",
  "src/caller/host/library-cache.ts",
  "src/caller/host/loop-thread.ts",
  "src/caller/host/preload-flags.ts",
  "src/caller/host/thread-start.ts",
  "src/caller/host/worker-files.ts",
  "src/caller/host/worker-flags.ts",
  "src/caller/support/runtime.ts",
  "src/caller/support/site.ts",
  "src/caller/support/stack.ts",
  "src/caller/support/time-limits.ts",
  "src/caller/api/lazy-module-api.ts",
  "src/caller/support/worker-thread.ts",
  "src/library-location.ts",
  "src/protocol/clock.ts",
  "src/protocol/library-code.ts",
  "src/protocol/shared-state.ts",
  "src/protocol/shm/ring-layout.ts",
]);
const callerBuilds = Promise.all([
  // The caller's front: what `synchronicity-js` exports.
  build({
    ...common,
    metafile: true,
    plugins: [sharedErrors, lazyCore(), lazyPackageResolution()],
    stdin: {
      contents: `import * as local from "./index.ts";\nexport const index = (globalThis[Symbol.for(${JSON.stringify(frontKey)})] ??= Object.freeze({ ...local }));\n`,
      resolveDir: src,
      sourcefile: "lib.ts",
      loader: "ts",
    },
    outfile: join(dist, "cjs", "lib.js"),
  }),
  // The rest of the caller's library.
  build({
    ...common,
    metafile: true,
    plugins: [sharedErrors, fromFront, lazyPackageResolution()],
    entryPoints: [join(src, "caller", "api", "core-entry.ts")],
    outfile: join(dist, "cjs", "core.js"),
  }),
]);
const builds = [
  callerBuilds.then(([front]) => front),
  callerBuilds.then(([, rest]) => rest),
  // The worker thread's library: its loop, and what `synchronicity-js/worker` exports. Apart from
  // the caller's, so that the worker does not compile the caller's code on every start.
  build({
    ...common,
    plugins: [sharedErrors],
    stdin: {
      contents: 'export * as context from "./worker/context.ts";\nexport { trackCalls } from "./worker/call-context.ts";\nexport { runLoop } from "./worker/loop.ts";\n',
      resolveDir: src,
      sourcefile: "worker-lib.ts",
      loader: "ts",
    },
    outfile: join(dist, "cjs", "worker-lib.js"),
  }),
  // The loop thread's entry, which loads the worker's library (src/worker/entry.ts).
  build({ ...common, entryPoints: [join(src, "worker", "entry.ts")], external: ["../worker-lib.js"], outfile: join(dist, "cjs", "worker", "loop.js") }),
  build({ ...common, entryPoints: [packageResolution], outfile: join(dist, "cjs", "package-resolution.js") }),
  build({ ...common, entryPoints: [join(src, "worker", "supervisor.ts")], outfile: join(dist, "cjs", "worker", "supervisor.js") }),
  // Preloaded into the worker ahead of the user's preloads, to report their errors (worker/boot-watch.ts).
  build({ ...common, entryPoints: [join(src, "worker", "boot-watch.ts")], outfile: join(dist, "cjs", "worker", "boot-watch.js") }),
  build({ ...common, entryPoints: [join(src, "typegen", "cli.ts")], outfile: join(dist, "cjs", "typegen", "cli.js") }),
];
// A warning here is a bug to fix, not noise: e.g. "import.meta is not available with the cjs output
// format" means a source file uses import.meta beyond .url (import.meta.resolve, .dirname), which
// CommonJS has no equivalent for; compute it from import.meta.url instead.
for (const compiled of await Promise.all(builds)) {
  if (compiled.warnings.length > 0) throw new Error(`the CommonJS build has ${compiled.warnings.length} warning(s), printed above`);
}
const inputsOf = (compiled) => new Set(Object.entries(compiled.metafile.outputs).flatMap(([file, output]) => (file.endsWith(".js") ? Object.keys(output.inputs) : [])));
const [frontBuild, restBuild] = await callerBuilds;
const frontInputs = inputsOf(frontBuild);
const inBoth = [...inputsOf(restBuild)].filter((input) => frontInputs.has(input) && input.startsWith("src/"));
const unlisted = inBoth.filter((input) => !statelessInBoth.has(input));
if (unlisted.length > 0) {
  throw new Error(`modules copied into both dist/cjs/lib.js and dist/cjs/core.js, not known to be stateless: ${unlisted.join(", ")} (see statelessInBoth in scripts/build.mjs)`);
}
const stale = [...statelessInBoth].filter((input) => !inBoth.includes(input));
if (stale.length > 0) {
  throw new Error(`statelessInBoth in scripts/build.mjs lists modules no longer in both dist/cjs/lib.js and dist/cjs/core.js: ${stale.join(", ")}`);
}

// The loop thread's entry may compile the worker's library with node:vm and run it with the entry's
// own require (src/worker/entry.ts): that holds while the library requires built-ins only, and
// makes no import() of its own, which would fail in code compiled so (src/worker/importer.ts).
const workerLibrary = await readFile(join(dist, "cjs", "worker-lib.js"), "utf8");
const requiredByWorker = [...workerLibrary.matchAll(/\brequire\("([^"]*)"\)/g)].map((match) => match[1]).filter((id) => !id.startsWith("node:"));
if (requiredByWorker.length > 0) {
  throw new Error(`dist/cjs/worker-lib.js requires ${requiredByWorker.join(", ")}: it may require node: built-ins only (see src/worker/entry.ts)`);
}
if (/\bimport\((?!\))/.test(workerLibrary)) {
  throw new Error("dist/cjs/worker-lib.js has an import() of its own: import through src/worker/importer.ts's dynamicImport");
}

// Written so that Node's import of CommonJS does not take them for re-exports of lib.js: it would
// then scan all of lib.js for export names (cjs-module-lexer), which cost more than loading it.
const stubs = {
  "index.js": 'const lib = require("./lib.js");\nmodule.exports = lib.index;',
  // Implementation code that loads "synchronicity-js/worker" can read its current call: from now
  // on, every request runs in its call context (see src/worker/call-context.ts for why not before).
  "worker/context.js": 'const lib = require("../worker-lib.js");\nlib.trackCalls();\nmodule.exports = lib.context;',
};
for (const [file, code] of Object.entries(stubs)) {
  await writeFile(join(dist, "cjs", file), `"use strict";\n// An entry point of the library's bundle (see scripts/build.mjs).\n${code}\n`);
}
await writeFile(join(dist, "cjs", "package.json"), '{ "type": "commonjs" }\n');

// 2. The declarations, beside the CommonJS files: under dist/cjs/package.json's "commonjs" they
// describe the require() form, while dist/types describes the import form.
await cp(join(dist, "types"), join(dist, "cjs"), { recursive: true, filter: (path) => !path.endsWith(".map") });

// 3. The names each entry point exports, written into it for ES modules: `import { Synchronizer }
// from "synchronicity-js"` loads the CommonJS entry itself, and Node finds a CommonJS module's names
// by reading its text (cjs-module-lexer), which cannot see through `module.exports = lib.index`.
// The line never runs. (An ES module entry that re-exported the CommonJS one used to stand in
// between: one more module for every import to resolve, read and link, about 0.5 ms.)
const require = createRequire(import.meta.url);
const namesOf = (file) => Object.keys(require(file)).filter((name) => name !== "__esModule");
for (const entry of ["index.js", "worker/context.js"]) {
  const file = join(dist, "cjs", entry);
  await writeFile(file, `${await readFile(file, "utf8")}// The names, for an ES module's import (see scripts/build.mjs).\n0 && (module.exports = { ${namesOf(file).join(", ")} });\n`);
}

// 4. The front again, as an ES module (dist/cjs/index.mjs), for `import` on a Node that has
// process.getBuiltinModule: package.json's "module-sync" condition under "import" picks it (Node
// 20.19 and 22.10 on; others, bundlers and require() get index.js). It loads in half the time:
// Node imports CommonJS through a translator that runs the CommonJS lexer first (an empty
// CommonJS file costs an ES module 1.5 ms more than an empty ES module), and an ES module that
// imports a built-in makes an ES module face of it (node:fs, node:path, node:url and node:util
// together: 2 ms). So this file imports nothing: it takes the built-ins from
// process.getBuiltinModule when it runs, and requires core.js and package-resolution.js (CommonJS,
// shared with lib.js) through a require it makes on first use, when node:module then loads.
const esmRequire = "__synchronicityRequire";
// Each built-in becomes a module that exports, read once from process.getBuiltinModule, the names
// the sources import from it (`import { a, b } from "node:x"`, gathered from every source file).
// Not a CommonJS module of the built-in's object: esbuild would copy that object's properties,
// and on Node 22 reading node:util's so loads node:worker_threads. So a name imported here must not
// be a lazy export of its built-in (as fs.promises is): test/lazy-import.test.ts fails on Node 22
// and 24 if one is.
const importedBuiltins = new Map();
for (const file of await readdir(src, { recursive: true })) {
  if (!file.endsWith(".ts")) continue;
  for (const [, names, id] of (await readFile(join(src, file), "utf8")).matchAll(/^import \{([^}]*)\} from "(node:[\w/]+)";/gm)) {
    const set = importedBuiltins.get(id) ?? new Set();
    for (const name of names.split(",").map((part) => part.trim())) if (name !== "" && !name.startsWith("type ")) set.add(name.split(/\s+as\s+/)[0]);
    importedBuiltins.set(id, set);
  }
}
const builtinsFromProcess = {
  name: "builtins-from-process",
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "builtin" }));
    build.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({
      contents: `export const { ${[...(importedBuiltins.get(args.path) ?? [])].join(", ")} } = process.getBuiltinModule(${JSON.stringify(args.path)});\n`,
      loader: "js",
    }));
  },
};
const frontNames = namesOf(join(dist, "cjs", "index.js"));
const esmFront = await build({
  ...common,
  format: "esm",
  define: {},
  banner: { js: `let __synchronicityRequireOf;\nconst ${esmRequire} = (id) => (__synchronicityRequireOf ??= process.getBuiltinModule("node:module").createRequire(import.meta.url))(id);` },
  plugins: [builtinsFromProcess, sharedErrors, lazyCore(esmRequire), lazyPackageResolution(esmRequire)],
  stdin: {
    contents:
      `import * as local from "./index.ts";\n` +
      `const shared = (globalThis[Symbol.for(${JSON.stringify(frontKey)})] ??= Object.freeze({ ...local }));\n` +
      `export const { ${frontNames.join(", ")} } = shared;\nexport default shared;\n`,
    resolveDir: src,
    sourcefile: "index.mts",
    loader: "ts",
  },
  outfile: join(dist, "cjs", "index.mjs"),
});
if (esmFront.warnings.length > 0) throw new Error(`the ES module front has ${esmFront.warnings.length} warning(s), printed above`);
const esmFrontCode = await readFile(join(dist, "cjs", "index.mjs"), "utf8");
if (/^import\b/m.test(esmFrontCode) || /\brequire\(/.test(esmFrontCode.replaceAll(`${esmRequire}(`, ""))) {
  throw new Error("dist/cjs/index.mjs imports or requires a module: it may only reach one through process.getBuiltinModule or its own require (step 4)");
}

// 5. "synchronicity-js/worker" as an ES module too (dist/cjs/worker/context.mjs), under the same
// condition: an ES module implementation that imports it no longer loads CommonJS through Node's
// translator in every worker it starts in (0.6 ms of the first call). It requires worker-lib.js as
// context.js does, so it gets the loop's copy (src/worker/entry.ts registers that one as the
// module worker-lib.js), or loads it where no loop runs (in-place wrapping imports the defining
// module in the caller too).
await writeFile(
  join(dist, "cjs", "worker", "context.mjs"),
  "// An entry point of the library's bundle, for import (see scripts/build.mjs, step 5).\n" +
    'const lib = process.getBuiltinModule("node:module").createRequire(import.meta.url)("../worker-lib.js");\n' +
    "lib.trackCalls();\n" +
    `export const { ${namesOf(join(dist, "cjs", "worker", "context.js")).join(", ")} } = lib.context;\n` +
    "export default lib.context;\n",
);
