/**
 * Writes the whole generated declaration of one module: the imports that put the
 * implementation's names in scope, copies of its non-exported declarations (its signatures may
 * use them), the class views, the callable interfaces, and `interface Api`, the wrapped view of
 * the module, which `wrapModule<import("./x.api.js").Api>(url)` returns as it is.
 */
import type ts from "typescript";
import { NameAllocator, type EmitContext, type TypeScript } from "./context.js";
import { callSignaturesOf, writeCallable } from "./callables.js";
import { planClassView, writeClassView, type ClassView } from "./class-views.js";
import { docComment, typeText } from "./type-text.js";

/** An exported value, as the type checker sees it. */
export interface ValueExport {
  readonly name: string;
  /** A class whose instances are errors: it stays as it is, as errors arrive with their class. */
  readonly errorClass: boolean;
}

export interface ModuleInput {
  /** The implementation's declaration file (declaration emit output), parsed. */
  readonly dts: ts.SourceFile;
  /** The implementation, as the output file imports it (`./x.js`). */
  readonly implementation: string;
  /** Where the implementation is, for the header (relative to the output file). */
  readonly source: string;
  readonly valueExports: readonly ValueExport[];
  readonly rebase: (specifier: string) => string;
}

/** A top-level declaration of the implementation, and the names it is exported under. */
interface Local {
  readonly name: string | undefined;
  readonly statements: ts.Statement[];
  readonly exportedAs: string[];
}

export function writeModuleDeclaration(ts: TypeScript, input: ModuleInput): string {
  const { dts } = input;
  const locals = indexDeclarations(ts, dts);
  const context: EmitContext = {
    ts,
    dts,
    rebase: input.rebase,
    names: new NameAllocator(declaredNames(ts, dts)),
    helpers: [],
  };
  for (const fixed of ["$s", "$impl", "$Views", "$Remote", "$Arg", "Api"]) context.names.reserve(fixed);

  const copies: string[] = [];
  const copiedImports: { text: string; names: string[] }[] = [];
  for (const statement of dts.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) {
      copiedImports.push({ text: rebasedImport(context, statement), names: boundNames(ts, statement) });
    }
  }
  const named: string[] = [];
  for (const local of locals.values()) {
    if (local.name === undefined) continue;
    if (local.exportedAs.length > 0) {
      const exported = local.exportedAs[0];
      named.push(exported === local.name ? exported : `${exported} as ${local.name}`);
    } else if (!local.statements.some((statement) => isAugmentation(ts, statement))) {
      copies.push(...local.statements.map((statement) => statementText(context, statement)));
    }
  }

  // Classes first: views refer to one another, and functions return their instances.
  const errorClasses = new Set(input.valueExports.filter((value) => value.errorClass).map((value) => value.name));
  const views = new Map<string, ClassView>();
  for (const local of locals.values()) {
    const declaration = local.statements[0];
    if (local.name === undefined || local.exportedAs.length === 0 || !ts.isClassDeclaration(declaration)) continue;
    if (local.exportedAs.every((name) => errorClasses.has(name))) continue;
    views.set(local.name, planClassView(context, declaration, local.name));
  }
  for (const view of views.values()) writeClassView(context, view, views);

  // The Api's members, in the order of the exports.
  const members: string[] = [];
  const byExport = new Map<string, Local>();
  for (const local of locals.values()) for (const name of local.exportedAs) byExport.set(name, local);
  // Declaration order; exports the declaration file does not declare itself (re-exports) last.
  const position = (name: string) => byExport.get(name)?.statements[0].pos ?? Number.MAX_SAFE_INTEGER;
  const ordered = [...input.valueExports].sort((a, b) => position(a.name) - position(b.name));
  for (const { name, errorClass } of ordered) {
    const local = byExport.get(name);
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
    const member = local === undefined ? undefined : memberType(context, local, name, views, errorClass);
    const doc = local === undefined ? "" : docComment(context, local.statements[0], "  ");
    // Re-exports and other shapes the generator does not write out get the mapped types.
    members.push(`${doc}  readonly ${key}: ${member ?? `$s.Wrapped<(typeof $impl)[${JSON.stringify(name)}], $Views>`};`);
  }

  const viewChain = [...views.values()]
    .sort((a, b) => depth(ts, b, views) - depth(ts, a, views))
    .map((view) => `this["instance"] extends ${viewPattern(context, view)} ? ${view.instanceName}${typeParameterNames(view)} : `)
    .join("");
  const body = [
    ...copies,
    `/** The classes of the module with generated views: an instance of one arrives as its view, at any depth. */\ninterface $Views extends $s.ClassViews {\n  readonly view: ${viewChain}never;\n}`,
    `type $Remote<T> = $s.Remote<T, $Views>;`,
    `type $Arg<T> = $s.Arg<T, $Views>;`,
    ...context.helpers,
    `/** The wrapped view of ${input.source}. */\nexport interface Api extends $s.GeneratedApi {\n${members.join("\n")}\n}`,
  ];
  // Import only what the declarations use, so that the file passes the stricter linters too.
  const used = usedIdentifiers(body.join("\n"));
  const imports = [`import type * as $s from "synchronicity-js";`];
  if (used.has("$impl")) imports.push(`import type * as $impl from ${JSON.stringify(input.implementation)};`);
  const usedNamed = named.filter((entry) => used.has(entry.replace(/^.* as /, "")));
  if (usedNamed.length > 0) imports.push(`import type { ${usedNamed.join(", ")} } from ${JSON.stringify(input.implementation)};`);
  imports.push(...copiedImports.filter((copied) => copied.names.some((name) => used.has(name))).map((copied) => copied.text));
  const parts = [
    `// Generated by \`synchronicity-js types\` from ${input.source}: do not edit; run the generator again instead.\n` +
      `// Use: synchronizer.wrapModule<import("./${outputBase(input)}").Api>(url)`,
    imports.join("\n"),
    ...body,
  ];
  return parts.join("\n\n") + "\n";
}

/** The type of one export in the Api, or undefined for the mapped-type fallback. */
function memberType(context: EmitContext, local: Local, exported: string, views: ReadonlyMap<string, ClassView>, errorClass: boolean): string | undefined {
  const { ts } = context;
  const [first] = local.statements;
  const name = local.name;
  if (ts.isFunctionDeclaration(first)) {
    const signatures = local.statements.filter(ts.isFunctionDeclaration);
    return writeCallable(context, { name: context.names.allocate(name ?? exported), signatures });
  }
  if (ts.isClassDeclaration(first) && name !== undefined) {
    if (errorClass) return `typeof ${name}`;
    return views.get(name)?.staticName;
  }
  if (ts.isVariableStatement(first) && name !== undefined) {
    const variable = first.declarationList.declarations.find((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name);
    const signatures = callSignaturesOf(context, variable?.type);
    if (signatures !== undefined) return writeCallable(context, { name: context.names.allocate(name), signatures });
    return `$s.Wrapped<typeof ${name}, $Views>`;
  }
  return undefined;
}

/** Top-level declarations by local name, with their export names (`export`, `export default`, `export { a as b }`). */
function indexDeclarations(ts: TypeScript, dts: ts.SourceFile): Map<string, Local> {
  const locals = new Map<string, Local>();
  let anonymous = 0;
  const add = (name: string | undefined, statement: ts.Statement, exportedAs: string[]) => {
    const key = name ?? `#anonymous${anonymous++}`;
    const local = locals.get(key) ?? { name, statements: [], exportedAs: [] };
    local.statements.push(statement);
    for (const exported of exportedAs) if (!local.exportedAs.includes(exported)) local.exportedAs.push(exported);
    locals.set(key, local);
  };
  for (const statement of dts.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    const exported = modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    const isDefault = modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword) ?? false;
    const exportNames = (name: string | undefined) => (exported ? [isDefault ? "default" : (name ?? "default")] : []);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) add(declaration.name.text, statement, exportNames(declaration.name.text));
      }
    } else if (
      ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isModuleDeclaration(statement)
    ) {
      const name = statement.name !== undefined && ts.isIdentifier(statement.name) ? statement.name.text : undefined;
      add(name, statement, exportNames(name));
    }
  }
  for (const statement of dts.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals && ts.isIdentifier(statement.expression)) {
      locals.get(statement.expression.text)?.exportedAs.push("default");
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier === undefined && statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        const local = locals.get((element.propertyName ?? element.name).text);
        if (local !== undefined && !statement.isTypeOnly && !element.isTypeOnly) local.exportedAs.push(element.name.text);
        else if (local !== undefined) local.exportedAs.push(element.name.text);
      }
    }
  }
  return locals;
}

/** Every name the declaration file declares or imports, so that generated names never shadow one. */
function declaredNames(ts: TypeScript, dts: ts.SourceFile): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(dts);
  return names;
}

/** The identifiers a text uses: comments, string literals and member names (`  readonly name:`, `  aio(`) left out. */
function usedIdentifiers(text: string): Set<string> {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/"(?:[^"\\]|\\.)*"/g, " ")
    .replace(/^\s*(?:readonly\s+)?[\w$]+\??(?=\s*[:(<])/gm, " ");
  return new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? []);
}

/** The local names an import declaration binds. */
function boundNames(ts: TypeScript, statement: ts.ImportDeclaration | ts.ImportEqualsDeclaration): string[] {
  if (ts.isImportEqualsDeclaration(statement)) return [statement.name.text];
  const clause = statement.importClause;
  if (clause === undefined) return [];
  const names = clause.name === undefined ? [] : [clause.name.text];
  const bindings = clause.namedBindings;
  if (bindings !== undefined) {
    if (ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
    else names.push(...bindings.elements.map((element) => element.name.text));
  }
  return names;
}

/** `declare global { ... }` and `declare module "x" { ... }` apply through the implementation itself; never copy them. */
function isAugmentation(ts: TypeScript, statement: ts.Statement): boolean {
  return ts.isModuleDeclaration(statement) && (ts.isStringLiteral(statement.name) || (statement.flags & ts.NodeFlags.GlobalAugmentation) !== 0);
}

/** A statement of the implementation's declaration file, copied (specifiers in `import("...")` types rebased). */
function statementText(context: EmitContext, statement: ts.Statement): string {
  const doc = docComment(context, statement, "");
  const text = typeText(context, statement, undefined, false);
  return doc + text.replace(/^export (default )?/, "");
}

function rebasedImport(context: EmitContext, statement: ts.ImportDeclaration | ts.ImportEqualsDeclaration): string {
  const { ts, dts } = context;
  const specifier = ts.isImportDeclaration(statement)
    ? statement.moduleSpecifier
    : ts.isExternalModuleReference(statement.moduleReference)
      ? statement.moduleReference.expression
      : undefined;
  const text = statement.getText(dts);
  if (specifier === undefined || !ts.isStringLiteral(specifier)) return text;
  const start = specifier.getStart(dts) - statement.getStart(dts);
  return text.slice(0, start) + JSON.stringify(context.rebase(specifier.text)) + text.slice(start + specifier.getWidth(dts));
}

/** How deep a class is in its module's hierarchy: subclasses are matched before their bases. */
function depth(ts: TypeScript, view: ClassView, views: ReadonlyMap<string, ClassView>, seen = new Set<ClassView>()): number {
  if (seen.has(view)) return 0;
  seen.add(view);
  const base = view.declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  const baseView = base !== undefined && ts.isIdentifier(base.expression) ? views.get(base.expression.text) : undefined;
  return baseView === undefined ? 0 : 1 + depth(ts, baseView, views, seen);
}

/** `Store<infer V>` (with the parameter's constraint, so that the view's own constraint holds). */
function viewPattern(context: EmitContext, view: ClassView): string {
  const parameters = view.declaration.typeParameters;
  if (parameters === undefined || parameters.length === 0) return view.localName;
  const inferred = parameters.map((parameter) => `infer ${parameter.name.text}` + (parameter.constraint === undefined ? "" : ` extends ${typeText(context, parameter.constraint)}`));
  return `${view.localName}<${inferred.join(", ")}>`;
}

function typeParameterNames(view: ClassView): string {
  const parameters = view.declaration.typeParameters;
  return parameters === undefined || parameters.length === 0 ? "" : `<${parameters.map((parameter) => parameter.name.text).join(", ")}>`;
}

/** The output file's own name, as a specifier (`x.api.js`). */
function outputBase(input: ModuleInput): string {
  const base = input.implementation.replace(/^.*\//, "");
  return base.replace(/\.(m|c)?js$/, (_, kind: string | undefined) => `.api.${kind ?? ""}js`);
}
