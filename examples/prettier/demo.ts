// `tsx examples/prettier/demo.ts`: Prettier called synchronously.
import { check, format } from "./prettier-sync.js";

const source = "const  answer = {a:1,b:[1,2,3]}";
const formatted = format(source, { parser: "babel" });
process.stdout.write(formatted);
console.log("formatted is stable:", check(formatted, { parser: "babel" }));

try {
  format("const x = {", { parser: "babel" });
} catch (error) {
  const { name, loc } = error as SyntaxError & { loc: { start: { line: number; column: number } } };
  console.log(`${name} at line ${loc.start.line}, column ${loc.start.column}`);
}
