#!/usr/bin/env node
// Builds the package's JavaScript after `tsc` has written the declarations into dist/types.
//
// One copy of the library per thread: the code is compiled once, as CommonJS, because Node 20
// cannot require() an ES module, while an ES module can always import CommonJS. It is bundled into
// three files, and every entry point is a stub that requires one of them:
//
//   dist/cjs/lib.js         the caller's library   <- dist/cjs/index.js (require("synchronicity-js"))
//   dist/cjs/worker-lib.js  the worker's library   <- dist/cjs/worker/context.js (require("synchronicity-js/worker"))
//                                                     and dist/cjs/worker/loop.js (the worker thread's entry)
//   dist/cjs/errors.js      the error classes, required by both
//   dist/esm/*.js           the ESM faces, re-exporting the CommonJS ones by name
//
// So a thread that loads several of them (the worker's loop, plus "synchronicity-js/worker" from
// the implementation; an ESM app using a CommonJS plugin) shares one module state: one exit
// listener, one set of error classes, one AsyncLocalStorage for the current call. The worker
// thread loads only the worker's library (about half the caller's size), which shortens every
// start; an implementation that imports "synchronicity-js" too gets the same error classes from
// errors.js (the rest of the state the two libraries share lives on globalThis, under
// Symbol.for keys: the call context, the in-place registry, the loop's loaded modules). A few
// files also load several times faster than ninety (start-up), and calls between the library's
// modules are plain calls, not the getters of CommonJS re-exports (the hot path).
//
// Three entry points are bundles of their own, since they share no state with the rest: the
// supervisor thread (dist/cjs/worker/supervisor.js), the worker's preload that reports the errors of
// the user's preloads (dist/cjs/worker/boot-watch.js), and the type generator's CLI (dist/cjs/typegen/cli.js).
import { build } from "esbuild";
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");

await rm(join(dist, "cjs"), { recursive: true, force: true });
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
  define: { "import.meta.url": "__synchronicityModuleUrl" },
  // (No __filename when a bundler copies these files into an ES module: caller/worker-files.ts
  // then reports that the library was bundled.)
  banner: { js: 'var __synchronicityModuleUrl = typeof __filename === "string" ? require("node:url").pathToFileURL(__filename).href : undefined;' },
};
// The error classes are a bundle of their own that both others require, so that a thread holding
// both (an implementation that imports "synchronicity-js" inside the worker) has one set of classes:
// `instanceof` holds whichever bundle made the error, and each recognizes the other's as its own.
const errorsSource = join(src, "errors.ts");
const sharedErrors = {
  name: "shared-errors",
  setup(build) {
    build.onResolve({ filter: /errors(\.[jt]s)?$/ }, (args) => {
      const target = join(args.resolveDir, args.path).replace(/\.js$/, ".ts");
      return target === errorsSource ? { path: "./errors.js", external: true } : undefined;
    });
  },
};
const builds = [
  // The caller's library: what `synchronicity-js` exports.
  build({
    ...common,
    plugins: [sharedErrors],
    stdin: { contents: 'export * as index from "./index.ts";\n', resolveDir: src, sourcefile: "lib.ts", loader: "ts" },
    outfile: join(dist, "cjs", "lib.js"),
  }),
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
  build({ ...common, entryPoints: [errorsSource], outfile: join(dist, "cjs", "errors.js") }),
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
// Written so that Node's import of CommonJS does not take them for re-exports of lib.js: it would
// then scan all of lib.js for export names (cjs-module-lexer), which cost more than loading it.
const stubs = {
  "index.js": 'const lib = require("./lib.js");\nmodule.exports = lib.index;',
  // Implementation code that loads "synchronicity-js/worker" can read its current call: from now
  // on, every request runs in its call context (see src/worker/call-context.ts for why not before).
  "worker/context.js": 'const lib = require("../worker-lib.js");\nlib.trackCalls();\nmodule.exports = lib.context;',
  "worker/loop.js": 'require("../worker-lib.js").runLoop();',
};
for (const [file, code] of Object.entries(stubs)) {
  await writeFile(join(dist, "cjs", file), `"use strict";\n// An entry point of the library's bundle (see scripts/build.mjs).\n${code}\n`);
}
await writeFile(join(dist, "cjs", "package.json"), '{ "type": "commonjs" }\n');

// 2. The declarations, beside the CommonJS files: under dist/cjs/package.json's "commonjs" they
// describe the require() form, while dist/types describes the import form.
await cp(join(dist, "types"), join(dist, "cjs"), { recursive: true, filter: (path) => !path.endsWith(".map") });

// 3. The ESM entry points, re-exporting the CommonJS modules' exports by name (listed here, at
// build time, so that the names are static exports). A default import of CommonJS works in every
// runtime, and bundlers follow it.
const require = createRequire(import.meta.url);
const entries = { "index.js": "index.js", "worker.js": "worker/context.js" };
await mkdir(join(dist, "esm"), { recursive: true });
for (const [file, target] of Object.entries(entries)) {
  const names = Object.keys(require(join(dist, "cjs", target))).filter((name) => name !== "__esModule");
  const specifier = relative(join(dist, "esm"), join(dist, "cjs", target)).replaceAll("\\", "/");
  await writeFile(
    join(dist, "esm", file),
    `// The ESM face of ${specifier}: the same module instance as require("synchronicity-js${target === "index.js" ? "" : "/worker"}").\n` +
      `import cjs from "${specifier.startsWith(".") ? specifier : `./${specifier}`}";\n` +
      `export const { ${names.join(", ")} } = cjs;\n`,
  );
}
