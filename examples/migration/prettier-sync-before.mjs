// examples/migration/prettier-sync-before.mjs
import synchronizedPrettier from "@prettier/sync";

console.log(synchronizedPrettier.format("const  x = {a:1}", { parser: "babel" }).trim());
try {
  synchronizedPrettier.format("const x = {", { parser: "babel" });
} catch (error) {
  console.log(error.name, error.loc.start);
}
