/**
 * Proxies for objects that live in the worker: instances of the implementation's classes, and
 * functions it returns. A proxy holds no state of its own, only the handle id of its worker object;
 * every method call, getter and setter is a request to the worker.
 *
 * Methods are defined on the proxy class's prototype as accessors that hand out per-instance bound
 * forms, because `db.query.aio(...)` calls `aio` with `this` set to the function, not to `db`:
 * each instance needs its own `query` that knows which object it belongs to.
 */
import type { RequestOp } from "../../protocol/messages.js";
import { FUNCTION_HANDLE, type HandleMarker } from "../../protocol/markers.js";
import type { ClassShape, FunctionKind, MemberKind } from "../../protocol/shapes.js";
import { DataCloneError, ReferenceLostError } from "../../errors.js";
import { makeCallable } from "./callable.js";
import type { Connection } from "../wire/connection.js";
import { AsyncRemoteGenerator, RemoteGenerator } from "./iterators.js";
import { IterationState } from "./iteration-state.js";
import { PinnedRequester, type PinnedTarget, type Requester } from "./requester.js";
import { captureSite } from "../support/site.js";
import { withCallerFrames } from "../support/stack.js";
import { remoteConstructorOf } from "../wire/classes.js";
import { RemoteObject } from "./remote-object.js";

type AnyClass = abstract new (...args: never[]) => unknown;

interface ProxyInfo extends PinnedTarget {
  readonly id: number;
  readonly requester: Requester;
  /** Bound method forms, created on first access. */
  readonly methods: Map<string, unknown>;
}

const infos = new WeakMap<object, ProxyInfo>();

/** The handle behind a proxy, or undefined for anything else. */
export function proxyInfo(value: object): ProxyInfo | undefined {
  return infos.get(value);
}

function infoOrThrow(proxy: unknown, member: string): ProxyInfo {
  const info = typeof proxy === "object" && proxy !== null ? infos.get(proxy) : undefined;
  if (info === undefined) throw new TypeError(`${member} must be used on an object returned by the worker`);
  return info;
}

/** Release the worker-side object behind `proxy` now, instead of when the proxy is garbage collected. */
export function release(proxy: object): void {
  const info = infos.get(proxy);
  if (info === undefined) throw new TypeError("release(proxy): the argument is not a proxy to an object in the worker");
  if (info.released) return;
  info.released = true;
  info.connection.refs.release(info.id);
}

/** Run `fn` and rethrow its error with the caller's frames appended. */
function atCallSite<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw withCallerFrames(error, captureSite());
  }
}

function memberForms(info: ProxyInfo, name: string, kind: FunctionKind): unknown {
  let forms = info.methods.get(name);
  if (forms === undefined) {
    forms = makeCallable(info.requester, { handle: info.id, name }, name, kind);
    info.methods.set(name, forms);
  }
  return forms;
}

function readMember(info: ProxyInfo, name: string): unknown {
  return atCallSite(() => info.requester.requestSync({ op: "get", target: { handle: info.id, name } }));
}

function writeMember(info: ProxyInfo, name: string, value: unknown): void {
  atCallSite(() => info.requester.requestSync({ op: "set", target: { handle: info.id, name }, value }));
}

function defineMember(prototype: object, name: string, kind: MemberKind): void {
  if (kind === "getter" || kind === "setter" || kind === "value") {
    Object.defineProperty(prototype, name, {
      get(this: unknown) {
        return readMember(infoOrThrow(this, name), name);
      },
      set(this: unknown, value: unknown) {
        writeMember(infoOrThrow(this, name), name, value);
      },
      enumerable: false,
      configurable: true,
    });
    return;
  }
  Object.defineProperty(prototype, name, {
    get(this: unknown) {
      const info = typeof this === "object" && this !== null ? infos.get(this) : undefined;
      // On the prototype itself (tools inspecting the class), there is no object to bind to.
      return info === undefined ? undefined : memberForms(info, name, kind);
    },
    enumerable: false,
    configurable: true,
  });
}

/** Well-known protocols of the implementation's class, given blocking twins. */
function defineProtocols(prototype: object, protocols: readonly string[]): void {
  const has = (name: string) => protocols.includes(name);
  if (has("asyncDispose") || has("dispose")) {
    const member = has("asyncDispose") ? "Symbol.asyncDispose" : "Symbol.dispose";
    const request = (info: ProxyInfo): RequestOp => ({ op: "call", target: { handle: info.id, name: member }, args: [] });
    Object.defineProperty(prototype, Symbol.dispose, {
      value: function dispose(this: unknown): void {
        const info = infoOrThrow(this, "[Symbol.dispose]");
        atCallSite(() => info.requester.requestSync(request(info)));
      },
      configurable: true,
      writable: true,
    });
    Object.defineProperty(prototype, Symbol.asyncDispose, {
      value: async function asyncDispose(this: unknown): Promise<void> {
        const info = infoOrThrow(this, "[Symbol.asyncDispose]");
        try {
          await info.requester.requestAsync(request(info));
        } catch (error) {
          throw withCallerFrames(error, captureSite());
        }
      },
      configurable: true,
      writable: true,
    });
  }
  if (has("asyncIterator") || has("iterator")) {
    const member = has("asyncIterator") ? "Symbol.asyncIterator" : "Symbol.iterator";
    const state = (info: ProxyInfo) =>
      new IterationState({ readAhead: 0, closeTimeoutMs: info.requester.closeTimeoutMs }, {
        target: { handle: info.id, name: member },
        args: [],
        connect: () => info.requester.connectionFor({ op: "start", target: { handle: info.id, name: member }, args: [] }),
      });
    Object.defineProperty(prototype, Symbol.iterator, {
      value: function iterate(this: unknown) {
        return new RemoteGenerator(state(infoOrThrow(this, "[Symbol.iterator]")));
      },
      configurable: true,
      writable: true,
    });
    Object.defineProperty(prototype, Symbol.asyncIterator, {
      value: function iterateAsync(this: unknown) {
        return new AsyncRemoteGenerator(state(infoOrThrow(this, "[Symbol.asyncIterator]")));
      },
      configurable: true,
      writable: true,
    });
  }
}

/** The local class standing for a worker class: members from its shape, `instanceof` like the original. */
export function createProxyClass(shape: ClassShape, base: AnyClass | undefined): AnyClass {
  const Base = (base ?? RemoteObject) as unknown as new () => object;
  const name = shape.name || "RemoteObject";
  const cls = {
    [name]: class extends Base {
      constructor(...args: unknown[]) {
        const construct = new.target === cls ? remoteConstructorOf(cls) : undefined;
        if (construct !== undefined) return construct(args) as never;
        super(); // RemoteObject refuses, with the explanation
      }
    },
  }[name]!;
  for (const [member, kind] of Object.entries(shape.members)) defineMember(cls.prototype, member, kind);
  defineProtocols(cls.prototype, shape.protocols);
  return cls;
}

/**
 * Static members of an exported class: methods get the usual forms, static getters and setters
 * read and write through. They are addressed by export name, so they survive worker restarts.
 */
export function defineStatics(cls: object, shape: ClassShape, requester: Requester, target: { readonly module: number; readonly name: string }): void {
  for (const [member, kind] of Object.entries(shape.statics)) {
    const memberTarget = { ...target, member };
    if (kind === "getter" || kind === "setter" || kind === "value") {
      Object.defineProperty(cls, member, {
        get: () => atCallSite(() => requester.requestSync({ op: "get", target: memberTarget })),
        set: (value: unknown) => atCallSite(() => requester.requestSync({ op: "set", target: memberTarget, value })),
        enumerable: false,
        configurable: true,
      });
    } else {
      Object.defineProperty(cls, member, { value: makeCallable(requester, memberTarget, member, kind), writable: true, enumerable: false, configurable: true });
    }
  }
}

/** The proxy for a handle marker received from the worker (identity is kept by the caller: see HandleRefs). */
export function createHandleProxy(connection: Connection, marker: HandleMarker): object {
  const isFunction = marker.cls === FUNCTION_HANDLE;
  const shape = isFunction ? undefined : connection.classes.shape(marker.cls);
  const target: PinnedTarget = { connection, released: false, label: isFunction ? `function #${marker.id}` : `${shape?.name || "object"} #${marker.id}` };
  const requester = new PinnedRequester(target);
  const info: ProxyInfo = Object.assign(target, { id: marker.id, requester, methods: new Map<string, unknown>() });
  let proxy: object;
  if (isFunction) {
    proxy = makeCallable(requester, { handle: marker.id, name: null }, "remoteFunction", marker.fn ?? "sync");
  } else {
    const cls = connection.classes.get(marker.cls) as { prototype: object } | undefined;
    const object = Object.create(cls?.prototype ?? RemoteObject.prototype) as object;
    for (const field of marker.fields ?? []) {
      Object.defineProperty(object, field, {
        get: () => readMember(info, field),
        set: (value: unknown) => writeMember(info, field, value),
        enumerable: true,
        configurable: true,
      });
    }
    // Wrapped in a (transparent) JS Proxy because structured clone refuses those: posted to
    // another thread with postMessage, the object would otherwise arrive as a snapshot of its
    // fields, read one blocking request at a time. It stands for an object in this synchronizer's
    // worker, and only makes sense here.
    proxy = new Proxy(object, {});
  }
  infos.set(proxy, info);
  requester.owner = proxy;
  return proxy;
}

/** For errors: a proxy sent back to a worker it does not belong to. */
export function assertSendable(info: ProxyInfo, connection: Connection): void {
  if (info.released) throw new ReferenceLostError(`${info.label} was released; it cannot be sent to the worker`);
  if (info.connection !== connection) {
    if (info.connection.exited === undefined) {
      // A pool routes a call to the worker of the objects in its arguments (pool/owners.ts): this one was found deeper.
      throw new DataCloneError(`${info.label} lives in another worker (of this pool, or of another synchronizer) than the one this call goes to: an object stays on the worker that created it`);
    }
    throw new ReferenceLostError(`${info.label} belongs to a worker that has stopped; it cannot be sent to the new one`);
  }
}
