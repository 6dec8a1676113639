#!/usr/bin/env node
/**
 * The `synchronicity-js` command: `synchronicity-js types <files...>` writes generated declarations
 * (see generate.ts). The compiler API is loaded here, at run time, from the user's own
 * `typescript` (an optional peer dependency): the library itself never needs it.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { parseArguments, usage, UsageError, type TypesCommand } from "./arguments.js";
import type { TypeScript } from "./context.js";
import { generate, TypegenError, type Generation } from "./generate.js";
import { watch } from "./watch.js";

async function main(argv: readonly string[]): Promise<number> {
  let command: TypesCommand;
  try {
    command = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`synchronicity-js: ${error.message}\n\n${usage}\n`);
    return 2;
  }
  const ts = await loadTypeScript();
  if (ts === undefined) {
    process.stderr.write("synchronicity-js types: the TypeScript compiler is needed; install it with `npm install -D typescript`\n");
    return 1;
  }
  const run = () => generate(ts, command.files, { outDir: command.outDir, project: command.project });
  if (command.mode === "watch") {
    watch(command.files, () => report(() => write(run()).inputs));
    return await new Promise<number>(() => {}); // runs until interrupted
  }
  const ok = report(() => (command.mode === "check" ? check(run()) : (write(run()), true)));
  return ok === true ? 0 : 1;
}

/** Runs one generation; a TypegenError is the user's to fix, reported without a stack (undefined then). */
function report<T>(step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof TypegenError)) throw error;
    process.stderr.write(`synchronicity-js types: ${error.message}\n`);
    return undefined;
  }
}

/** Writes the declarations that changed (an unchanged file is not touched, so that watchers downstream stay quiet). */
function write(generation: Generation): Generation {
  warn(generation);
  for (const file of generation.files) {
    if (readOr(file.output) === file.text) continue;
    mkdirSync(dirname(file.output), { recursive: true });
    writeFileSync(file.output, file.text);
    process.stdout.write(`wrote ${relative(process.cwd(), file.output)}\n`);
  }
  return generation;
}

/** Whether every declaration is there and up to date; names each one that is not. */
function check(generation: Generation): boolean {
  warn(generation);
  let stale = 0;
  for (const file of generation.files) {
    const current = readOr(file.output);
    if (current === file.text) continue;
    stale++;
    const what = current === undefined ? "missing" : "stale";
    process.stderr.write(`${relative(process.cwd(), file.output)} is ${what}: run synchronicity-js types ${relative(process.cwd(), file.implementation)}\n`);
  }
  return stale === 0;
}

function warn(generation: Generation): void {
  for (const warning of generation.warnings) process.stderr.write(`synchronicity-js types: warning: ${warning}\n`);
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

async function loadTypeScript(): Promise<TypeScript | undefined> {
  try {
    const module = (await import("typescript")) as { default?: TypeScript } & TypeScript;
    return module.default ?? module;
  } catch (error) {
    // ESM reports ERR_MODULE_NOT_FOUND; the CommonJS build's import() is a require(): MODULE_NOT_FOUND.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return undefined;
    throw error;
  }
}

// No top-level await: the package's build also compiles this file to CommonJS.
main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`synchronicity-js: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
