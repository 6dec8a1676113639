/**
 * Where a generated declaration goes, and how it refers to the implementation: beside `x.ts` as
 * `x.api.d.ts` (`.mts` -> `.api.d.mts`, `.cts` -> `.api.d.cts`), or in `--out-dir`, importing the
 * implementation by the specifier Node would use (`./x.js`).
 */
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { TypegenError } from "./context.js";

const extensions: [source: RegExp, output: string, runtime: string][] = [
  [/\.d\.(m|c)?ts$/, "", ""], // declaration files are not implementations
  [/\.mts$/, ".api.d.mts", ".mjs"],
  [/\.cts$/, ".api.d.cts", ".cjs"],
  [/\.tsx?$/, ".api.d.ts", ".js"],
  [/\.mjs$/, ".api.d.mts", ".mjs"],
  [/\.cjs$/, ".api.d.cts", ".cjs"],
  [/\.jsx?$/, ".api.d.ts", ".js"],
];

export interface OutputPaths {
  /** The generated declaration's absolute path. */
  readonly output: string;
  /** The implementation as the generated file imports it (`./x.js`, `../src/x.js`). */
  readonly implementation: string;
  /** A relative specifier of the implementation, made relative to the output file. */
  readonly rebase: (specifier: string) => string;
}

export function outputPaths(implementationFile: string, outDir: string | undefined): OutputPaths {
  const file = resolve(implementationFile);
  const match = extensions.find(([pattern]) => pattern.test(file));
  if (match === undefined || match[1] === "") {
    throw new TypegenError(`${implementationFile}: not an implementation module (expected .ts, .mts, .cts, .tsx, .js, .mjs or .cjs)`);
  }
  const [pattern, outputExtension, runtimeExtension] = match;
  const stem = basename(file).replace(pattern, "");
  const directory = outDir === undefined ? dirname(file) : resolve(outDir);
  const output = join(directory, stem + outputExtension);
  const implementation = specifier(directory, join(dirname(file), stem + runtimeExtension));
  const rebase = (original: string) => (original.startsWith("./") || original.startsWith("../") ? specifier(directory, resolve(dirname(file), original)) : original);
  return { output, implementation, rebase };
}

/** A relative import specifier from a directory to a file, with forward slashes. */
function specifier(fromDirectory: string, to: string): string {
  const path = relative(fromDirectory, to).split(sep).join("/");
  return path.startsWith("../") ? path : `./${path}`;
}
