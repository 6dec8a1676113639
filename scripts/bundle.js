// After `tsc`, bundle the entry point of each thread into one file:
//   dist/synchronicity.js             from dist/index.js: what `import "synchronicity-js"` loads
//   dist/worker/supervisor.bundle.js  from dist/worker/supervisor.js: the supervisor thread
//   dist/worker/loop.bundle.js        from dist/worker/loop.js: the worker thread
// Loading ES modules costs ~0.7 ms per module, so one file instead of ~40 is most of the library's
// import time and of each thread's boot. tsc's own files stay as they are (tsc -b rewrites only
// what changed, so a bundle must never overwrite them); package.json points at the bundle.
//
// dist/errors.js stays a module of its own, imported by the bundles: in the worker thread, the loop
// bundle, the caller bundle (an implementation importing "synchronicity-js") and the unbundled
// dist/worker/context.js (`synchronicity-js/worker`) meet, and an error class must be one class
// there (instanceof). Other per-thread state is already shared through globalThis (Symbol.for
// keys), so a second copy of a module in one thread is harmless.
import { build } from "esbuild";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

/** Leaves the top-level dist/errors.js to be imported at run time by the bundle written to `outfile`. */
const sharedErrorClasses = (outfile) => ({
  name: "shared-error-classes",
  setup(pluginBuild) {
    const fromBundle = relative(dirname(outfile), `${dist}errors.js`);
    pluginBuild.onResolve({ filter: /(^|\/)errors\.js$/ }, (args) => {
      const target = new URL(args.path, `file://${args.resolveDir}/`).pathname;
      return target === `${dist}errors.js` ? { path: fromBundle.startsWith(".") ? fromBundle : `./${fromBundle}`, external: true } : undefined;
    });
  },
});

const bundles = [
  { from: "index.js", to: "synchronicity.js", shareErrors: true },
  // The supervisor thread runs nothing but this bundle.
  { from: "worker/supervisor.js", to: "worker/supervisor.bundle.js", shareErrors: false },
  { from: "worker/loop.js", to: "worker/loop.bundle.js", shareErrors: true },
];

for (const { from, to, shareErrors } of bundles) {
  await build({
    entryPoints: [dist + from],
    outfile: dist + to,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // The optional native helper is looked up at run time; there are no other dependencies.
    external: ["synchronicity-js-signals"],
    plugins: shareErrors ? [sharedErrorClasses(dist + to)] : [],
    // library-location.ts finds dist/ from the bundle's own URL with this.
    define: { SYNCHRONICITY_DIST_FROM_BUNDLE: JSON.stringify(relative(dirname(dist + to), dist) + "/").replace('"/"', '"./"') },
    sourcemap: true,
    logLevel: "warning",
  });
}
