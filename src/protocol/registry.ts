/**
 * The worker's tables: classes it has described to the caller, and (for stateful objects)
 * the objects the caller holds handles to.
 *
 * Class ids are allocated on first sight; a class's description (ClassShape) is sent to the
 * caller once, in the `defs` of the first message that mentions it, with its base classes first.
 */
import type { ClassShape, MemberKind } from "./shapes.js";
import { functionKind, isClass, isNative } from "./functions.js";

export { functionKind, isClass };
import { builtinNameOf } from "./errors.js";

type AnyClass = abstract new (...args: never[]) => unknown;

const protocolSymbols: ReadonlyArray<readonly [string, symbol]> = [
  ["asyncIterator", Symbol.asyncIterator],
  ["iterator", Symbol.iterator],
  ["asyncDispose", Symbol.asyncDispose],
  ["dispose", Symbol.dispose],
];

function memberKind(descriptor: PropertyDescriptor): MemberKind {
  if (descriptor.get) return "getter";
  if (descriptor.set) return "setter";
  return typeof descriptor.value === "function" ? functionKind(descriptor.value) : "value";
}

/** Own string-keyed members of each object from `start` up to (not including) `stop`, nearest first. */
function collectMembers(start: object | null, stop: object | null, skip: ReadonlySet<string>): Record<string, MemberKind> {
  const members: Record<string, MemberKind> = {};
  for (let obj = start; obj !== null && obj !== stop && obj !== Object.prototype && obj !== Function.prototype; obj = Object.getPrototypeOf(obj)) {
    if (isNative((obj as { constructor?: unknown }).constructor) && obj !== start) break;
    for (const key of Object.getOwnPropertyNames(obj)) {
      if (skip.has(key) || key in members) continue;
      const descriptor = Object.getOwnPropertyDescriptor(obj, key);
      if (descriptor) members[key] = memberKind(descriptor);
    }
  }
  return members;
}

const skipOnPrototype = new Set(["constructor"]);
const skipOnClass = new Set(["length", "name", "prototype", "arguments", "caller"]);

export class Registry {
  private readonly ids = new Map<AnyClass, number>();
  private readonly classes: AnyClass[] = [];
  private readonly described = new Set<number>();
  private pending: ClassShape[] = [];

  /** The id of a class, allocating one and queueing its description on first sight. */
  classIdOf(cls: AnyClass): number {
    let id = this.ids.get(cls);
    if (id === undefined) {
      id = this.classes.length;
      this.classes.push(cls);
      this.ids.set(cls, id);
    }
    if (!this.described.has(id)) {
      this.described.add(id);
      this.pending.push(this.describe(cls, id));
    }
    return id;
  }

  /** Pure test: is `value` an instance of a user-defined class (not a built-in, not a plain object)? */
  static isUserInstance(value: object): boolean {
    const ctor = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor;
    return typeof ctor === "function" && ctor !== Object && !isNative(ctor);
  }

  /** The class id of a value's user class, or undefined for built-ins and plain objects. */
  classIdOfInstance(value: object): number | undefined {
    const ctor = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor;
    if (typeof ctor !== "function" || isNative(ctor) || ctor === Object) return undefined;
    return this.classIdOf(ctor as AnyClass);
  }

  /** Queue the description of class `id` again if a message that carried it was not sent. */
  describeAgain(id: number): void {
    const cls = this.classes[id];
    if (cls !== undefined) this.classIdOf(cls);
  }

  classById(id: number): AnyClass | undefined {
    return this.classes[id];
  }

  /** Whether class descriptions wait for the next message (takeDefs). */
  get hasPendingDefs(): boolean {
    return this.pending.length !== 0;
  }

  /** Descriptions queued since the last call; they belong in the message being built. */
  takeDefs(): ClassShape[] | undefined {
    if (this.pending.length === 0) return undefined;
    const defs = this.pending;
    this.pending = [];
    return defs;
  }

  /** The message carrying `defs` was not sent: describe these classes again next time. */
  unsend(defs: readonly ClassShape[] | undefined): void {
    for (const def of defs ?? []) this.described.delete(def.id);
  }

  private describe(cls: AnyClass, id: number): ClassShape {
    const parent: unknown = Object.getPrototypeOf(cls);
    const base = typeof parent === "function" && parent !== Function.prototype && !isNative(parent) ? this.classIdOf(parent as AnyClass) : null;
    const stopProto = base === null ? null : ((parent as { prototype?: object }).prototype ?? null);
    const proto = (cls as { prototype?: object }).prototype ?? null;
    const isError = proto !== null && proto instanceof Error;
    return {
      id,
      name: cls.name,
      base,
      error: isError ? builtinNameOf(proto) : null,
      members: collectMembers(proto, stopProto, skipOnPrototype),
      statics: collectMembers(cls, base === null ? null : (parent as object), skipOnClass),
      protocols: proto === null ? [] : protocolSymbols.filter(([, symbol]) => symbol in proto).map(([name]) => name),
    };
  }
}
