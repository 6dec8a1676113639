// Every TypeScript sample in README.md compiles. Samples are fragments, so each is compiled as a
// module of its own beside test/readme/db.impl.ts, the module they talk about, with the names it
// uses but does not declare (`api`, `url`, `x`, ...) declared for it, and nothing else.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers.js";

interface Sample {
  /** The README line of the sample's first line of code. */
  line: number;
  code: string;
}

/** ```ts blocks, also indented ones (in list items), with their indentation removed. */
function samples(markdown: string): Sample[] {
  const lines = markdown.split("\n");
  const found: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ts\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1];
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1] !== `${indent}\`\`\``) i++;
    found.push({ line: start + 1, code: lines.slice(start, i + 1).map((line) => line.slice(indent.length)).join("\n") });
    i++;
  }
  return found;
}

/** What a fragment may use without declaring it: the README's running example. */
const givens: Record<string, string> = {
  Synchronizer: 'import { Synchronizer } from "synchronicity-js";',
  http: 'import http from "node:http";',
  api: 'declare const api: import("synchronicity-js").Api<typeof import("./db.impl.js")>;',
  db: 'declare const db: ReturnType<import("synchronicity-js").Api<typeof import("./db.impl.js")>["DBConnection"]["open"]>;',
  DBConnection: 'import type { DBConnection } from "./db.impl.js";',
  url: "declare const url: string;",
  x: "declare const x: number;",
  log: "declare function log(value: unknown): void;",
  save: "declare function save(value: unknown): Promise<void>;",
  sleep: "declare function sleep(ms: number): Promise<void>;",
};

/** The names a sample declares at its top level (so that no given shadows them). */
function declaredNames(code: string): Set<string> {
  const source = ts.createSourceFile("sample.ts", code, ts.ScriptTarget.Latest, true);
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) statement.declarationList.declarations.forEach((declaration) => addBinding(declaration.name));
    else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.add(statement.name.text);
    else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) bindings.elements.forEach((element) => names.add(element.name.text));
      else if (bindings) names.add(bindings.name.text);
    }
  }
  return names;
}

const readme = samples(readFileSync(join(repoRoot, "README.md"), "utf8"));
const directory = join(repoRoot, "test", "readme");
const files = readme.map((sample) => {
  const declared = declaredNames(sample.code);
  const prelude = Object.entries(givens)
    .filter(([name]) => !declared.has(name) && new RegExp(`\\b${name}\\b`).test(sample.code))
    .map(([, declaration]) => declaration);
  const text = `${prelude.join("\n")}\n${sample.code}\nexport {};\n`;
  return { sample, name: join(directory, `readme-line-${sample.line}.ts`), text, offset: Math.max(prelude.length, 1) };
});

let diagnostics = new Map<string, string[]>();
beforeAll(() => {
  const config = ts.getParsedCommandLineOfConfigFile(join(repoRoot, "test", "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const options = { ...config.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const virtual = new Map(files.map((file) => [file.name, file.text]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError) => {
    const text = virtual.get(name);
    return text === undefined ? getSourceFile(name, language, onError) : ts.createSourceFile(name, text, language);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  const program = ts.createProgram({ rootNames: files.map((file) => file.name), options, host });
  diagnostics = new Map(
    files.map((file) => {
      const source = program.getSourceFile(file.name)!;
      const found = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      return [
        file.name,
        found.map((diagnostic) => {
          const line = diagnostic.start === undefined ? 0 : source.getLineAndCharacterOfPosition(diagnostic.start).line;
          return `README.md:${file.sample.line + line - file.offset}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
        }),
      ];
    }),
  );
}, 300_000);

describe("README.md", () => {
  it("has TypeScript samples", () => {
    expect(readme.length).toBeGreaterThan(5);
  });

  it.each(files.map((file) => [file.sample.line, file] as const))("the sample at line %i compiles", (_line, file) => {
    expect(diagnostics.get(file.name)).toEqual([]);
  });
});
