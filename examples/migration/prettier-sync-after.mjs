// examples/migration/prettier-sync-after.mjs
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const prettier = synchronizer.wrapModule("prettier"); // a package name, resolved from this file

console.log(prettier.format("const  x = {a:1}", { parser: "babel" }).trim());
try {
  prettier.format("const x = {", { parser: "babel" });
} catch (error) {
  console.log(error.name, error.loc.start);
}
