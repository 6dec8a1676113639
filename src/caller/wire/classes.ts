/**
 * The caller's copies of the worker's classes, by the worker's class id.
 *
 * Error classes are re-created here as real subclasses of the same built-in error, so that
 * `err instanceof api.MyError` holds. Other classes become proxy classes (proxies.ts) whose
 * instances stand for objects living in the worker. Exported classes keep
 * their identity across worker restarts: the synchronizer binds the new worker's class id to the
 * class object the user already holds.
 */
import type { ClassShape } from "../../protocol/shapes.js";
import { builtinErrors } from "../../protocol/errors.js";

type ErrorClass = abstract new (...args: never[]) => Error;
export type AnyClass = abstract new (...args: never[]) => unknown;


export class ClassTable {
  constructor(
    /** Builds the local proxy class for a worker class that is not an error class. */
    private readonly createProxyClass: (shape: ClassShape, base: AnyClass | undefined) => AnyClass,
  ) {}

  private readonly shapes = new Map<number, ClassShape>();
  private readonly classes = new Map<number, AnyClass>();
  private readonly ids = new WeakMap<object, number>();

  define(defs: readonly ClassShape[] | undefined): void {
    for (const def of defs ?? []) this.shapes.set(def.id, def);
  }

  shape(id: number): ClassShape | undefined {
    return this.shapes.get(id);
  }

  /** Use `cls` as the local class for worker class `id` (an exported class the user already holds). */
  bind(id: number, cls: AnyClass): void {
    this.classes.set(id, cls);
    this.ids.set(cls, id);
  }

  /** The local class for a worker class id, created on first use. Undefined when not describable. */
  get(id: number): AnyClass | undefined {
    const existing = this.classes.get(id);
    if (existing !== undefined) return existing;
    const shape = this.shapes.get(id);
    if (shape === undefined) return undefined;
    const base = shape.base !== null ? this.get(shape.base) : undefined;
    const cls =
      shape.error === null ? this.createProxyClass(shape, base) : createErrorClass(shape.name, (base ?? builtinErrors[shape.error] ?? Error) as ErrorClass);
    this.bind(id, cls);
    return cls;
  }

  /** The worker class id of a local class (a proxy class or a re-created error class), if it is one. */
  idOf(cls: object): number | undefined {
    return this.ids.get(cls);
  }

  /** The worker class id of a local object's class (nearest described ancestor), if any. */
  idOfInstance(value: object): number | undefined {
    for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
      const id = this.ids.get((proto as { constructor: object }).constructor);
      if (id !== undefined) return id;
    }
    return undefined;
  }
}

/**
 * How `new` builds an instance of an exported class: in the worker, by the implementation's own
 * constructor, returning the copy (errors) or a proxy (other classes).
 */
const remoteConstructors = new WeakMap<object, (args: unknown[]) => object>();

export function setRemoteConstructor(cls: object, construct: (args: unknown[]) => object): void {
  remoteConstructors.set(cls, construct);
}

export function remoteConstructorOf(cls: object): ((args: unknown[]) => object) | undefined {
  return remoteConstructors.get(cls);
}

function createErrorClass(name: string, base: ErrorClass): ErrorClass {
  const Base = base as unknown as new (...args: unknown[]) => Error;
  const cls = {
    [name]: class extends Base {
      constructor(...args: unknown[]) {
        // Only for this very class: a local subclass (class Mine extends api.AppError) is built locally.
        const construct = new.target === cls ? remoteConstructors.get(cls) : undefined;
        if (construct !== undefined) return construct(args) as never;
        super(...args);
      }
    },
  }[name]!;
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true, enumerable: false });
  return cls;
}
