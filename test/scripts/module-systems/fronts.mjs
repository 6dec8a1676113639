// Which file each form of the package loads, and whether the import form works without a
// CommonJS module in between. Prints, as JSON, the basename each form resolves to, and the
// names the import form exports.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const imported = await import("synchronicity-js");
const base = (path) => path.split(/[\\/]/).pop();
console.log(
  JSON.stringify({
    imported: base(import.meta.resolve("synchronicity-js")),
    required: base(require.resolve("synchronicity-js")),
    names: Object.keys(imported).sort(),
    defaultIsExports: imported.default === require("synchronicity-js"),
  }),
);
