/**
 * Class views: what a class of the implementation becomes. The static side (`$Store$class`) has
 * the constructors (`new` builds the object in the worker) and the statics; the instance side
 * (`$Store<V>`) is the blocking view of an object living in the worker, with the class's type
 * parameters, so generic classes and generic methods keep theirs. Members a class inherits come
 * from the base's own view when the base is in the same module, else from the mapped types.
 */
import type ts from "typescript";
import type { EmitContext } from "./context.js";
import { callSignaturesOf, parametersText, writeCallable, type SignatureNode } from "./callables.js";
import { docComment, memberName, typeParameterText, typeText } from "./type-text.js";

/** A class of the module that gets a view, and the names of its two sides. */
export interface ClassView {
  readonly declaration: ts.ClassDeclaration;
  /** The name the generated file knows the implementation's class by. */
  readonly localName: string;
  readonly instanceName: string;
  readonly staticName: string;
}

/** Names the views of a module's classes before writing any, since they refer to one another. */
export function planClassView(context: EmitContext, declaration: ts.ClassDeclaration, localName: string): ClassView {
  return {
    declaration,
    localName,
    instanceName: context.names.allocate(localName),
    staticName: context.names.allocate(localName, "class"),
  };
}

/** Members grouped by name: overloads, and getter/setter pairs, are one member. */
interface Member {
  name: string;
  doc: string;
  methods: ts.MethodDeclaration[];
  property?: ts.PropertyDeclaration;
  getter?: ts.GetAccessorDeclaration;
  setter?: ts.SetAccessorDeclaration;
}

/** Writes both sides of a class's view into `context.helpers`. */
export function writeClassView(context: EmitContext, view: ClassView, views: ReadonlyMap<string, ClassView>): void {
  const { ts } = context;
  const { declaration, localName, instanceName, staticName } = view;
  const typeParameters = declaration.typeParameters;
  const typeArguments = typeParameterText(context, typeParameters, true);
  const instanceType = localName + typeArguments;
  const isAbstract = declaration.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AbstractKeyword) ?? false;
  const base = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];

  const instanceMembers = groupMembers(context, declaration, false);
  const staticMembers = groupMembers(context, declaration, true);

  // The instance side.
  const instanceLines = instanceMembers.map((member) =>
    memberLine(context, member, { callableName: [localName, member.name], outer: typeParameters, thisType: instanceType }),
  );
  const instanceParts = [`{\n${instanceLines.join("\n")}\n}`, `$s.Protocols<${instanceType}, $Views>`];
  if (base !== undefined) {
    const inherited = inheritedView(context, base, views, instanceType, false);
    instanceParts.push(omit(inherited, instanceMembers));
  }
  const doc = docComment(context, declaration, "");
  context.helpers.push(`${doc}type ${instanceName}${typeParameterText(context, typeParameters)} = ${instanceParts.join(" & ")};`);

  // The static side: constructors, then static members.
  const staticLines: string[] = [];
  if (!isAbstract) staticLines.push(...constructorLines(context, view, instanceType, base !== undefined));
  for (const member of staticMembers) staticLines.push(memberLine(context, member, { callableName: [localName, "static", member.name], readonly: true }));
  const staticParts = [`{\n${staticLines.join("\n")}\n}`];
  if (base !== undefined) staticParts.push(omit(inheritedView(context, base, views, instanceType, true), staticMembers, ["prototype"]));
  context.helpers.push(`${doc}type ${staticName} = ${staticParts.join(" & ")};`);
}

/** The constructors as written; a class that declares none takes its base's (read through the mapped types). */
function constructorLines(context: EmitContext, view: ClassView, instanceType: string, derived: boolean): string[] {
  const { ts } = context;
  const typeParameters = typeParameterText(context, view.declaration.typeParameters);
  const result = view.instanceName + typeParameterText(context, view.declaration.typeParameters, true);
  const constructors = view.declaration.members.filter(ts.isConstructorDeclaration);
  if (constructors.length === 0) {
    if (!derived) return [`  new ${typeParameters}(): ${result};`];
    const classType = `typeof ${view.localName}${typeParameterText(context, view.declaration.typeParameters, true)}`;
    return [`  new ${typeParameters}(...args: $s.Arguments<ConstructorParameters<${classType}>, $Views>): ${result};`];
  }
  const lines: string[] = [];
  for (const constructor of constructors) {
    if (isHidden(context, constructor)) continue;
    const doc = docComment(context, constructor, "  ");
    lines.push(`${doc}  new ${typeParameters}(${parametersText(context, constructor.parameters, instanceType)}): ${result};`);
  }
  return lines;
}

/** What a class inherits: the base's generated view, or the mapped view of the class itself (which includes what it inherits). */
function inheritedView(context: EmitContext, base: ts.ExpressionWithTypeArguments, views: ReadonlyMap<string, ClassView>, instanceType: string, statics: boolean): string {
  const { ts } = context;
  const baseView = ts.isIdentifier(base.expression) ? views.get(base.expression.text) : undefined;
  if (baseView !== undefined) {
    if (statics) return baseView.staticName;
    const args = base.typeArguments === undefined ? "" : `<${base.typeArguments.map((arg) => typeText(context, arg)).join(", ")}>`;
    return baseView.instanceName + args;
  }
  const baseText = typeText(context, base.expression);
  return statics ? `$s.BlockingClass<typeof ${baseText}, $Views>` : `$s.Blocking<${instanceType}, $Views>`;
}

/** `Omit<T, own members>`: a class's own members replace those it inherits. */
function omit(type: string, members: readonly Member[], extra: readonly string[] = []): string {
  const keys = [...members.map((member) => member.name), ...extra.map((key) => JSON.stringify(key))];
  return keys.length === 0 ? type : `Omit<${type}, ${keys.map(quoteKey).join(" | ")}>`;
}

/** A member name as a string literal type (`get` -> `"get"`, `"a-b"` stays). */
function quoteKey(name: string): string {
  return /^["']/.test(name) ? name : /^\d/.test(name) ? name : JSON.stringify(name);
}

function modifiersOf(context: EmitContext, member: ts.ClassElement): readonly ts.ModifierLike[] {
  return context.ts.canHaveModifiers(member) ? (context.ts.getModifiers(member) ?? []) : [];
}

function isHidden(context: EmitContext, member: ts.ClassElement): boolean {
  const { ts } = context;
  const hidden = modifiersOf(context, member).some((modifier) => modifier.kind === ts.SyntaxKind.PrivateKeyword || modifier.kind === ts.SyntaxKind.ProtectedKeyword);
  return hidden === true || (member.name !== undefined && ts.isPrivateIdentifier(member.name));
}

function isStatic(context: EmitContext, member: ts.ClassElement): boolean {
  return modifiersOf(context, member).some((modifier) => modifier.kind === context.ts.SyntaxKind.StaticKeyword);
}

/** Public members with plain names (symbol-named ones are protocols, covered by `$s.Protocols`). */
function groupMembers(context: EmitContext, declaration: ts.ClassDeclaration, statics: boolean): Member[] {
  const { ts } = context;
  const members = new Map<string, Member>();
  for (const element of declaration.members) {
    if (ts.isConstructorDeclaration(element) || isHidden(context, element) || isStatic(context, element) !== statics) continue;
    const name = memberName(context, element.name);
    if (name === undefined) continue;
    let member = members.get(name);
    if (member === undefined) members.set(name, (member = { name, doc: docComment(context, element, "  "), methods: [] }));
    if (ts.isMethodDeclaration(element)) member.methods.push(element);
    else if (ts.isPropertyDeclaration(element)) member.property = element;
    else if (ts.isGetAccessorDeclaration(element)) member.getter = element;
    else if (ts.isSetAccessorDeclaration(element)) member.setter = element;
  }
  return [...members.values()];
}

interface MemberOptions {
  /** Parts of the name of the member's callable interface, if it needs one. */
  callableName: string[];
  /** The class's type parameters, for instance members. */
  outer?: ts.NodeArray<ts.TypeParameterDeclaration>;
  thisType?: string;
  /** Statics are read-only, as the exports of a module are. */
  readonly?: boolean;
}

/** One line of a view: a method becomes its callable interface; a property or accessor reads through. */
function memberLine(context: EmitContext, member: Member, options: MemberOptions): string {
  const { ts } = context;
  const { name, doc } = member;
  const callable = (signatures: readonly SignatureNode[]) =>
    writeCallable(context, { name: context.names.allocate(...options.callableName), outerTypeParameters: options.outer, thisType: options.thisType, signatures });
  if (member.methods.length > 0) {
    return `${doc}  ${options.readonly ? "readonly " : ""}${name}: ${callable(member.methods)};`;
  }
  const property = member.property;
  const optional = property?.questionToken !== undefined ? "?" : "";
  let readonly = options.readonly === true || (property?.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ReadonlyKeyword) ?? false);
  let type: string;
  if (property !== undefined) {
    const signatures = callSignaturesOf(context, property.type);
    if (signatures !== undefined) return `${doc}  ${readonly ? "readonly " : ""}${name}${optional}: ${callable(signatures)};`;
    // `static readonly kind = "store"` keeps its literal; otherwise the annotation.
    if (property.type !== undefined) type = readThrough(context, property.type, options.thisType);
    else if (property.initializer !== undefined) type = property.initializer.getText(context.dts);
    else type = "any";
  } else if (member.getter !== undefined) {
    type = readThrough(context, member.getter.type, options.thisType);
    readonly ||= member.setter === undefined;
  } else {
    const parameter = member.setter?.parameters[0];
    type = readThrough(context, parameter?.type, options.thisType);
  }
  return `${doc}  ${readonly ? "readonly " : ""}${name}${optional}: ${type};`;
}

/** A property's type as read from the caller: the value it resolves to, as the caller sees it. */
function readThrough(context: EmitContext, type: ts.TypeNode | undefined, thisType: string | undefined): string {
  const { ts } = context;
  if (type === undefined) return "any";
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === "Promise" && type.typeArguments?.length === 1) {
    const value = typeText(context, type.typeArguments[0], thisType);
    return ts.isToken(type.typeArguments[0]) ? value : `$Remote<${value}>`;
  }
  const text = typeText(context, type, thisType);
  return ts.isToken(type) || ts.isLiteralTypeNode(type) ? text : `$Remote<Awaited<${text}>>`;
}
