/**
 * What a request's target names in the worker: an export of a module, a member of one, an object
 * the caller holds a handle to, or an iterator; each lookup fails with the error the caller sees.
 */
import type { Target } from "../protocol/messages.js";
import { describeType } from "../protocol/describe.js";
import { ReferenceLostError } from "../errors.js";
import { implementationBehind } from "../in-place-registry.js";
import { Modules } from "./modules.js";
import type { WorkerTables } from "./codec.js";
import type { RemoteIteration } from "./iterators.js";
import { memberKey } from "./members.js";
import { isIteratorLike } from "../protocol/iterables.js";

export type Callable = (...args: unknown[]) => unknown;

export class Targets {
  constructor(
    private readonly modules: Modules,
    private readonly tables: WorkerTables,
  ) {}

  /** A module's exported function, if it can be found without waiting (its module is loaded). */
  exportedFunctionNow(target: Target): Callable | undefined {
    if (!("module" in target) || target.member !== undefined) return undefined;
    const module = this.modules.readyNow(target.module);
    // A namespace has a null prototype: a name it does not export reads as undefined, and the
    // general path reports it. (hasOwnProperty on a namespace object is slow.)
    const exported = module?.namespace[target.name];
    if (typeof exported !== "function") return undefined;
    return implementationBehind(exported) as Callable;
  }
  /** The object a target names a member of, and the member's key. */
  async resolveMember(target: Target): Promise<{ owner: object; key: string | symbol; label: string }> {
    if ("module" in target) {
      const module = await this.modules.get(target.module);
      if (target.member === undefined) return { owner: module.namespace, key: target.name, label: target.name };
      const owner = Modules.exportOf(module, target.name) as object;
      return { owner, key: memberKey(target.member), label: `${target.name}.${target.member}` };
    }
    const owner = this.handle(target.handle);
    if (target.name === null) throw new TypeError("a member name is needed here");
    return { owner, key: memberKey(target.name), label: target.name };
  }
  handle(id: number): object {
    const value = this.tables.handles.get(id);
    if (value === undefined) throw new ReferenceLostError(`object #${id} is no longer available in the worker (it was released)`);
    return value;
  }
  iteration(id: number): RemoteIteration {
    const iterator = this.tables.handles.get(id);
    const iteration = iterator === undefined ? undefined : this.tables.iterations.get(iterator);
    if (iteration === undefined) throw new ReferenceLostError(`iterator #${id} is no longer available in the worker (it finished or was released)`);
    return iteration;
  }
  async resolveCallable(target: Target): Promise<{ fn: Callable; thisArg: unknown }> {
    if ("handle" in target && target.name === null) {
      const fn = this.handle(target.handle);
      if (typeof fn !== "function") throw new TypeError(`object #${target.handle} is not a function`);
      return { fn: fn as Callable, thisArg: undefined };
    }
    if ("module" in target && target.member === undefined) {
      const module = await this.modules.get(target.module);
      const fn = Modules.exportOf(module, target.name);
      if (typeof fn !== "function") {
        throw new TypeError(`export "${target.name}" of ${module.specifier} is not a function (it is ${describeType(fn)})`);
      }
      return { fn: fn as Callable, thisArg: undefined };
    }
    const { owner, key, label } = await this.resolveMember(target);
    const fn = (owner as Record<string | symbol, unknown>)[key];
    if (typeof fn !== "function") throw new TypeError(`${label} is not a method (it is ${describeType(fn)})`);
    return { fn: fn as Callable, thisArg: owner };
  }
}

/**
 * What a generator function or an iteration method returned, as something to step. An object with
 * a `next` method that is not a generator (a hand-written iterator, often the object itself:
 * `[Symbol.asyncIterator]() { return this }`) is stepped through a view of its own, so that the
 * iteration gets its own handle and finishing it never drops the object.
 */
export function asSteppable(value: unknown): object | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (isIteratorLike(value)) return value;
  const iterator = value as { next?: unknown; return?: unknown; throw?: unknown };
  if (typeof iterator.next !== "function") return undefined;
  const call = (name: "next" | "return" | "throw") => {
    const method = iterator[name];
    return typeof method === "function" ? (arg: unknown) => Reflect.apply(method, value, [arg]) : undefined;
  };
  return { next: call("next"), ...(call("return") && { return: call("return") }), ...(call("throw") && { throw: call("throw") }) };
}

export function describeTarget(target: Target, suffix = "()"): string {
  if ("module" in target) return `${target.name}${target.member === undefined ? "" : `.${target.member}`}${suffix}`;
  return target.name === null ? "the function" : `${target.name}${suffix}`;
}

