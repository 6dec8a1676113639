// `npm run docs:graph`: redraws the module graph of src/ in docs/ARCHITECTURE.md from the code.
// dependency-cruiser (the same tool and rules as `npm run lint:arch`) writes Mermaid, which GitHub
// renders in place: no image file, and no graphviz needed. Two drawings go between the markers:
// the folders (the layers at a glance), and every module (folded away, it is large).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const doc = new URL("../docs/ARCHITECTURE.md", import.meta.url);
const START = "<!-- module-graph:start (npm run docs:graph writes this part) -->";
const END = "<!-- module-graph:end -->";

function mermaid(...extra) {
  const text = execFileSync("npx", ["depcruise", "--config", ".dependency-cruiser.cjs", "--output-type", "mermaid", ...extra, "src"], {
    cwd: new URL("..", import.meta.url),
    encoding: "utf8",
  });
  // A folded folder is drawn as an empty-labelled node inside its subgraph: label it with its name.
  return text.replace(/^(\s*)(\w+)_\[" "\]$/gm, (_, indent, id) => `${indent}${id}_["${id.replace(/^src_/, "").replace(/_/g, "/")}/"]`).trim();
}

const folders = mermaid("--collapse", "^src/(caller/[^/]+|[^/]+)/");
const modules = mermaid();
const block = [
  START,
  "",
  "Folders (the caller's layers, protocol/, worker/, typegen/, types/); an arrow is an import:",
  "",
  "```mermaid",
  folders,
  "```",
  "",
  "<details><summary>Every module of src/</summary>",
  "",
  "```mermaid",
  modules,
  "```",
  "",
  "</details>",
  "",
  END,
].join("\n");

const text = readFileSync(doc, "utf8");
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < start) throw new Error(`docs/ARCHITECTURE.md has no module-graph markers (${START} ... ${END})`);
writeFileSync(doc, text.slice(0, start) + block + text.slice(end + END.length));
console.log("docs/ARCHITECTURE.md: module graph redrawn");
