export { TypegenError };

/**
 * Runs the compiler over implementation modules and produces their generated declarations (in
 * memory; the CLI writes or compares them). TypeScript's declaration emit does the hard part,
 * spelling out every inferred type; the checker says which exports are values and which classes
 * are errors.
 */
import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type ts from "typescript";
import { TypegenError, type TypeScript } from "./context.js";
import { writeModuleDeclaration, type ValueExport } from "./module-declaration.js";
import { outputPaths } from "./paths.js";

export interface GenerateOptions {
  /** Write every declaration into this directory instead of beside its implementation. */
  readonly outDir?: string;
  /** The tsconfig.json whose compiler options apply; by default the nearest one that includes the file. */
  readonly project?: string;
}

export interface GeneratedFile {
  readonly implementation: string;
  readonly output: string;
  readonly text: string;
}

export interface Generation {
  readonly files: GeneratedFile[];
  /** Every source file the program read (outside node_modules): what --watch watches. */
  readonly inputs: string[];
  /** What declaration emit said about the implementation: worth reading, but not fatal. */
  readonly warnings: string[];
}

export function generate(ts: TypeScript, files: readonly string[], options: GenerateOptions = {}): Generation {
  const absolute = files.map((file) => resolve(file));
  for (const file of absolute) if (!existsSync(file)) throw new TypegenError(`${relative(process.cwd(), file)}: no such file`);
  const paths = absolute.map((file) => outputPaths(file, options.outDir));
  const program = ts.createProgram({ rootNames: absolute, options: compilerOptions(ts, absolute[0], options.project) });
  const checker = program.getTypeChecker();

  const problems: string[] = [];
  const warnings: string[] = [];
  const dtsTexts = new Map<string, string>();
  const generated: GeneratedFile[] = [];
  for (const [index, file] of absolute.entries()) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new TypegenError(`${file}: TypeScript could not read it`);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    const emit = program.emit(source, (name, text) => dtsTexts.set(resolve(name), text), undefined, true);
    // Declaration emit complains about types it cannot name portably; the generated file refers to
    // such exports through the implementation itself, so these are warnings, not failures.
    if (emit.diagnostics.length > 0) warnings.push(ts.formatDiagnostics(emit.diagnostics, formatHost(ts)).trimEnd());
    const errors = diagnostics.filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
      problems.push(ts.formatDiagnostics(errors, formatHost(ts)).trimEnd());
      continue;
    }
    const dtsText = [...dtsTexts.entries()].find(([name]) => isDeclarationOf(name, file))?.[1];
    dtsTexts.clear();
    if (dtsText === undefined) throw new TypegenError(`${file}: TypeScript wrote no declaration for it`);
    const { output, implementation, rebase } = paths[index];
    const dts = ts.createSourceFile(output, dtsText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    let text: string;
    try {
      text = writeModuleDeclaration(ts, {
        dts,
        implementation,
        source: relative(dirname(output), file).split("\\").join("/"),
        valueExports: valueExports(ts, checker, source),
        rebase,
      });
    } catch (error) {
      throw new TypegenError(`${relative(process.cwd(), file)}: ${(error as Error).message}`);
    }
    generated.push({ implementation: file, output, text });
  }
  if (problems.length > 0) throw new TypegenError(`the implementation does not compile:\n${problems.join("\n")}`);
  const inputs = program
    .getSourceFiles()
    .map((source) => resolve(source.fileName))
    .filter((name) => !name.split(/[\\/]/).includes("node_modules") && !program.isSourceFileDefaultLibrary(program.getSourceFile(name)!));
  return { files: generated, inputs, warnings };
}

/** The exports that exist at run time, in declaration order, and whether each is an error class. */
function valueExports(ts: TypeScript, checker: ts.TypeChecker, source: ts.SourceFile): ValueExport[] {
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) return []; // a script, not a module: nothing to export
  const result: ValueExport[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if ((symbol.flags & ts.SymbolFlags.Value) === 0) continue;
    result.push({ name: exported.name, errorClass: isErrorClass(ts, checker, symbol) });
  }
  return result;
}

/** A class some base of which is the global Error: its instances arrive as errors, with their class. */
function isErrorClass(ts: TypeScript, checker: ts.TypeChecker, symbol: ts.Symbol): boolean {
  if ((symbol.flags & ts.SymbolFlags.Class) === 0) return false;
  const seen = new Set<ts.Type>();
  const pending: ts.Type[] = [checker.getDeclaredTypeOfSymbol(symbol)];
  while (pending.length > 0) {
    const type = pending.pop()!;
    if (seen.has(type)) continue;
    seen.add(type);
    const declarations = type.getSymbol()?.declarations ?? [];
    if (type.getSymbol()?.name === "Error" && declarations.some((declaration) => declaration.getSourceFile().hasNoDefaultLib || /lib\.[\w.]*\.d\.ts$/.test(declaration.getSourceFile().fileName))) return true;
    if (type.isClassOrInterface()) pending.push(...(checker.getBaseTypes(type) ?? []));
    else if (type.isIntersection()) pending.push(...type.types);
  }
  return false;
}

function isDeclarationOf(declarationFile: string, source: string): boolean {
  const stem = (path: string) => path.replace(/\\/g, "/").replace(/^.*\//, "").replace(/\.d\.(m|c)?ts$|\.(m|c)?[tj]sx?$/, "");
  return stem(declarationFile) === stem(source);
}

/**
 * The project's compiler options (nearest tsconfig.json, or --project), with declaration emit
 * switched on and every other output switched off: the generator only reads.
 */
function compilerOptions(ts: TypeScript, firstFile: string, project: string | undefined): ts.CompilerOptions {
  let options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
  };
  const configPath = project === undefined ? ts.findConfigFile(dirname(firstFile), ts.sys.fileExists) : resolve(project);
  if (configPath !== undefined) {
    if (!existsSync(configPath)) throw new TypegenError(`--project ${project}: no such file`);
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (parsed === undefined) throw new TypegenError(`${configPath}: cannot read it`);
    if (parsed.errors.length > 0) throw new TypegenError(ts.formatDiagnostics(parsed.errors, formatHost(ts)));
    options = chooseProject(ts, parsed, firstFile) ?? parsed.options;
  }
  return {
    ...options,
    declaration: true,
    emitDeclarationOnly: true,
    noEmit: false,
    noEmitOnError: false,
    declarationMap: false,
    sourceMap: false,
    inlineSourceMap: false,
    composite: false,
    incremental: false,
    tsBuildInfoFile: undefined,
    outDir: undefined,
    outFile: undefined,
    declarationDir: undefined,
    rootDir: undefined,
    removeComments: false,
  };
}

/** A solution-style tsconfig (`files: []` with references): use the referenced project that includes the file. */
function chooseProject(ts: TypeScript, parsed: ts.ParsedCommandLine, file: string): ts.CompilerOptions | undefined {
  if (parsed.fileNames.map((name) => resolve(name)).includes(file)) return parsed.options;
  for (const reference of parsed.projectReferences ?? []) {
    const path = ts.resolveProjectReferencePath(reference);
    const child = ts.getParsedCommandLineOfConfigFile(path, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (child !== undefined && child.fileNames.map((name) => resolve(name)).includes(file)) return child.options;
  }
  return undefined;
}

function formatHost(ts: TypeScript): ts.FormatDiagnosticsHost {
  return { getCanonicalFileName: (name) => name, getCurrentDirectory: () => process.cwd(), getNewLine: () => ts.sys.newLine };
}
