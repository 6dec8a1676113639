// Which file `import` and `require()` load for "synchronicity-js" and "synchronicity-js/worker",
// and what the imports export. Prints, as JSON, the basename each form resolves to, the names
// each import has, and whether each import's default is what require() returns.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const imported = await import("synchronicity-js");
const base = (path) => path.split(/[\\/]/).pop();
console.log(
  JSON.stringify({
    imported: base(import.meta.resolve("synchronicity-js")),
    required: base(require.resolve("synchronicity-js")),
    workerImported: base(import.meta.resolve("synchronicity-js/worker")),
    workerRequired: base(require.resolve("synchronicity-js/worker")),
    workerNames: Object.keys(await import("synchronicity-js/worker")).sort(),
    names: Object.keys(imported).sort(),
    defaultIsExports: imported.default === require("synchronicity-js"),
    workerDefaultIsExports: (await import("synchronicity-js/worker")).default === require("synchronicity-js/worker"),
  }),
);
