/**
 * Type text taken from the implementation's declaration file. Types are copied as written there
 * (TypeScript's declaration emit has already spelled out every inferred type), with two changes:
 * `this` types become the class they stand for, and `import("...")` specifiers are rebased to the
 * output file. Line breaks are folded so that each signature stays on one line.
 */
import type ts from "typescript";
import type { EmitContext } from "./context.js";

/** The text of a type node, ready to paste into the generated file. */
export function typeText(context: EmitContext, node: ts.Node, thisType?: string, fold = true): string {
  const { ts, dts } = context;
  const replacements: { start: number; end: number; text: string }[] = [];
  const visit = (child: ts.Node): void => {
    if (child.kind === ts.SyntaxKind.ThisType && thisType !== undefined) {
      replacements.push({ start: child.getStart(dts), end: child.end, text: thisType });
      return;
    }
    if (ts.isImportTypeNode(child) && ts.isLiteralTypeNode(child.argument) && ts.isStringLiteral(child.argument.literal)) {
      const literal = child.argument.literal;
      replacements.push({ start: literal.getStart(dts), end: literal.end, text: JSON.stringify(context.rebase(literal.text)) });
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  let text = "";
  let at = node.getStart(dts);
  for (const { start, end, text: replacement } of replacements.sort((a, b) => a.start - b.start)) {
    text += dts.text.slice(at, start) + replacement;
    at = end;
  }
  text += dts.text.slice(at, node.end);
  return fold ? foldLines(text) : text;
}

/** `{\n    id: number;\n}` -> `{ id: number; }` */
export function foldLines(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}

/** The JSDoc comments written just before a node, re-indented (empty string if none). */
export function docComment(context: EmitContext, node: ts.Node, indent: string): string {
  const { ts, dts } = context;
  const ranges = ts.getLeadingCommentRanges(dts.text, node.pos) ?? [];
  let doc = "";
  for (const range of ranges) {
    const comment = dts.text.slice(range.pos, range.end);
    if (!comment.startsWith("/**")) continue;
    const lines = comment.split("\n").map((line, index) => (index === 0 ? line.trim() : " " + line.trim()));
    doc += lines.map((line) => indent + line).join("\n") + "\n";
  }
  return doc;
}

/** `<T extends X = Y, U>` as written, or "" (`names` gives `<T, U>` instead). */
export function typeParameterText(context: EmitContext, parameters: ts.NodeArray<ts.TypeParameterDeclaration> | undefined, names = false): string {
  if (parameters === undefined || parameters.length === 0) return "";
  const list = parameters.map((parameter) => (names ? parameter.name.text : typeText(context, parameter)));
  return `<${list.join(", ")}>`;
}

/** The text of a property or method name (identifier, string or number literal); undefined for computed names. */
export function memberName(context: EmitContext, name: ts.PropertyName | undefined): string | undefined {
  const { ts } = context;
  if (name === undefined || ts.isComputedPropertyName(name) || ts.isPrivateIdentifier(name)) return undefined;
  return name.getText(context.dts);
}
