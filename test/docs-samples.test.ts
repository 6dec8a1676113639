// Every code sample in the guides (docs/*.md, not the generated docs/api) is an excerpt of a file
// under examples/ that a test runs, so a sample cannot drift from code that works. A sample names
// its file on its first line (`// examples/x.ts`, or `// examples/x.ts (excerpt)`); its lines
// must appear in that file, in order and contiguous.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers.js";

const GUIDES = readdirSync(join(repoRoot, "docs")).filter((name) => name.endsWith(".md") && !["ARCHITECTURE.md", "SECURITY.md", "TESTING.md"].includes(name));

interface Sample {
  line: number;
  language: string;
  lines: string[];
}

function samples(markdown: string): Sample[] {
  const found: Sample[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1] !== "```") i++;
    found.push({ line: start, language: open[1], lines: lines.slice(start, i + 1) });
    i++;
  }
  return found;
}

describe.each(GUIDES)("docs/%s", (guide) => {
  const code = samples(readFileSync(join(repoRoot, "docs", guide), "utf8")).filter((sample) => ["ts", "js", "mjs", "cjs"].includes(sample.language));

  it("has code samples", () => {
    expect(code.length).toBeGreaterThan(0);
  });

  it.each(code.map((sample) => [sample.line, sample] as const))("sample at line %i is an excerpt of the example it names", (_line, sample) => {
    const header = /^\/\/ (examples\/[\w./-]+)/.exec(sample.lines[0]);
    expect(header, `first line names its file: ${sample.lines[0]}`).not.toBeNull();
    const file = readFileSync(join(repoRoot, header![1]), "utf8").split("\n");
    const excerpt = /\(excerpt\)\s*$/.test(sample.lines[0]) ? sample.lines.slice(1) : sample.lines;
    const at = file.findIndex((_, i) => excerpt.every((line, j) => file[i + j] === line));
    expect(at, `${header![1]} contains the sample's lines in order:\n${excerpt.join("\n")}`).toBeGreaterThanOrEqual(0);
  });
});
