#!/usr/bin/env node
// Builds the package's JavaScript after `tsc` has written the declarations into dist/types.
//
// One copy of the library per process: the code is compiled once, as CommonJS (dist/cjs), because
// Node 20 cannot require() an ES module, while an ES module can always import CommonJS. The ESM
// entry points (dist/esm) are thin files that re-export the CommonJS ones, so a process that loads
// both forms (an ESM app using a CommonJS plugin, or an ESM implementation importing
// "synchronicity-js/worker" into the worker whose loop is CommonJS) shares one module state: one
// exit listener, one set of error classes, one AsyncLocalStorage for the current call.
import { build } from "esbuild";
import { cp, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");

/** Every .ts file under dir, recursively. */
async function sources(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")).map((e) => join(e.parentPath, e.name));
}

await rm(join(dist, "cjs"), { recursive: true, force: true });
await rm(join(dist, "esm"), { recursive: true, force: true });

// 1. src/**/*.ts to dist/cjs/**/*.js, file for file (no bundling: the worker thread's loop and the
// "synchronicity-js/worker" helpers an implementation imports must be the same modules).
// `import.meta.url` does not exist in CommonJS; each file gets its own from __filename.
const compiled = await build({
  entryPoints: await sources(src),
  outbase: src,
  outdir: join(dist, "cjs"),
  format: "cjs",
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  define: { "import.meta.url": "__synchronicityModuleUrl" },
  // (No __filename when a bundler copies these files into an ES module: caller/worker-files.ts
  // then reports that the library was bundled.)
  banner: { js: 'var __synchronicityModuleUrl = typeof __filename === "string" ? require("node:url").pathToFileURL(__filename).href : undefined;' },
});
// A warning here is a bug to fix, not noise: e.g. "import.meta is not available with the cjs output
// format" means a source file uses import.meta beyond .url (import.meta.resolve, .dirname), which
// CommonJS has no equivalent for; compute it from import.meta.url instead.
if (compiled.warnings.length > 0) throw new Error(`the CommonJS build has ${compiled.warnings.length} warning(s), printed above`);
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
