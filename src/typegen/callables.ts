/**
 * Callable interfaces: what a function, method or static of the implementation becomes, written
 * out signature by signature so that type parameters and overloads survive (mapped types lose
 * both). Each signature appears in every form: the blocking call, `aio`, `future` (not for
 * generators, which have no single result) and `with(options)`, which returns the same interface.
 */
import type ts from "typescript";
import type { EmitContext } from "./context.js";
import { docComment, foldLines, typeParameterText, typeText } from "./type-text.js";

/** The declarations that carry signatures: functions, methods, function types, call signatures. */
export type SignatureNode = ts.SignatureDeclarationBase;

/** The callable shapes the generator writes out itself; other function-valued types fall back to the mapped types. */
export function callSignaturesOf(context: EmitContext, type: ts.TypeNode | undefined): SignatureNode[] | undefined {
  const { ts } = context;
  if (type === undefined) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return callSignaturesOf(context, type.type);
  if (ts.isFunctionTypeNode(type)) return [type];
  if (ts.isTypeLiteralNode(type) && type.members.length > 0 && type.members.every(ts.isCallSignatureDeclaration)) return [...type.members];
  return undefined;
}

/** The forms of one signature's result. */
interface Results {
  blocking: string;
  aio: string;
  /** undefined for generators: a generator has no single result to wait for. */
  future: string | undefined;
}

export interface CallableOptions {
  /** The helper interface's name. */
  name: string;
  /** Type parameters of the enclosing class (instance methods use them), as declared. */
  outerTypeParameters?: ts.NodeArray<ts.TypeParameterDeclaration>;
  /** What `this` types stand for (the instance type, for methods). */
  thisType?: string;
  signatures: readonly SignatureNode[];
}

/**
 * Writes the interface into `context.helpers` and returns how to refer to it (with the enclosing
 * class's type arguments).
 */
export function writeCallable(context: EmitContext, options: CallableOptions): string {
  const { name, outerTypeParameters, thisType, signatures } = options;
  const outer = typeParameterText(context, outerTypeParameters);
  const self = name + typeParameterText(context, outerTypeParameters, true);
  const calls: string[] = [];
  const aio: string[] = [];
  const futures: string[] = [];
  // The implementation's JSDoc goes on the calls; the other forms say what they are, once.
  const aioDoc = "  /** The same call, as a Promise: never blocks the caller's event loop. */\n";
  const futureDoc = "  /** The same call, started now: `.result()` blocks for the value, `await` works too. */\n";
  for (const signature of signatures) {
    const doc = docComment(context, signature, "  ");
    const head = typeParameterText(context, signature.typeParameters) + `(${parametersText(context, signature.parameters, thisType)})`;
    const results = resultsOf(context, signature.type, thisType);
    calls.push(`${doc}  ${head}: ${results.blocking};`);
    aio.push(`${aio.length === 0 ? aioDoc : ""}  aio${head}: ${results.aio};`);
    if (results.future !== undefined) futures.push(`${futures.length === 0 ? futureDoc : ""}  future${head}: ${results.future};`);
  }
  const body = [...calls, ...aio, ...futures, `  /** The same forms, with options for the calls made through them. */`, `  with(options: $s.CallOptions): ${self};`];
  context.helpers.push(`interface ${name}${outer} {\n${body.join("\n")}\n}`);
  return self;
}

/** Parameters accept views where the implementation takes its objects (`$Arg<T>`); `this` parameters are dropped. */
export function parametersText(context: EmitContext, parameters: ts.NodeArray<ts.ParameterDeclaration>, thisType?: string): string {
  const { ts, dts } = context;
  const list: string[] = [];
  for (const parameter of parameters) {
    const name = foldLines(parameter.name.getText(dts));
    if (name === "this") continue;
    const optional = parameter.questionToken !== undefined ? "?" : "";
    const type = parameter.type === undefined ? "any" : typeText(context, parameter.type, thisType);
    if (parameter.dotDotDotToken === undefined) {
      // Callbacks stay as written: the caller passes its own functions, and a conditional type
      // around a generic function type would cost the callback its contextual parameter types.
      list.push(isFunctionType(context, parameter.type) ? `${name}${optional}: ${type}` : `${name}${optional}: $Arg<${type}>`);
      continue;
    }
    // A rest parameter must stay an array type: map the element type when it is written out.
    const rest = parameter.type;
    if (rest !== undefined && ts.isArrayTypeNode(rest)) list.push(`...${name}: $Arg<${typeText(context, rest.elementType, thisType)}>[]`);
    else list.push(`...${name}: $s.Arguments<${type}, $Views>`);
  }
  return list.join(", ");
}

function isFunctionType(context: EmitContext, type: ts.TypeNode | undefined): boolean {
  const { ts } = context;
  if (type !== undefined && ts.isParenthesizedTypeNode(type)) return isFunctionType(context, type.type);
  return type !== undefined && ts.isFunctionTypeNode(type);
}

const keywordTypes = new Set(["string", "number", "boolean", "bigint", "symbol", "void", "undefined", "null", "never", "unknown", "any", "object"]);

/** The blocking, async and future results of a declared return type. */
export function resultsOf(context: EmitContext, type: ts.TypeNode | undefined, thisType?: string): Results {
  const { ts } = context;
  if (type === undefined) return valueResults("any");
  if (ts.isTypePredicateNode(type)) return valueResults(type.assertsModifier !== undefined ? "void" : "boolean");
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const name = type.typeName.text;
    const args = type.typeArguments ?? [];
    if (name === "Promise" && args.length === 1) {
      const value = typeText(context, args[0], thisType);
      return valueResults(keywordTypes.has(value) ? value : `$Remote<${value}>`);
    }
    if (name === "AsyncGenerator" || name === "Generator") {
      // The lib's defaults: Generator<T = unknown, TReturn = any, TNext = any>.
      const [yielded, returned, next] = [args[0], args[1], args[2]].map((arg, index) => (arg === undefined ? ["unknown", "any", "any"][index] : typeText(context, arg, thisType)));
      const tail = `$Remote<${yielded}>, $Remote<${returned}>, ${next}`;
      return { blocking: `$s.RemoteIterable<${tail}>`, aio: `AsyncGenerator<${tail}>`, future: undefined };
    }
  }
  const text = typeText(context, type, thisType);
  if (keywordTypes.has(text)) return valueResults(text);
  // Arrays, tuples, literals and object literals are never promises: no Awaited<> needed.
  const plain = ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type) || ts.isLiteralTypeNode(type) || ts.isTypeLiteralNode(type);
  return valueResults(plain ? `$Remote<${text}>` : `$Remote<Awaited<${text}>>`);
}

function valueResults(value: string): Results {
  return { blocking: value, aio: `Promise<${value}>`, future: `$s.Future<${value}>` };
}
