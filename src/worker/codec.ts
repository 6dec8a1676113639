/**
 * The worker's side of value encoding: what it sends as markers, and what the markers it
 * receives become.
 */
import type { EncodeHooks } from "../protocol/values.js";
import type { DecodeHooks } from "../protocol/value-decoding.js";
import { decodeError, encodeError, isError } from "../protocol/errors.js";
import { FUNCTION_HANDLE, MARK, type HandleMarker, type Marker } from "../protocol/markers.js";
import { ReferenceLostError } from "../errors.js";
import { functionKind, isClass, Registry } from "../protocol/registry.js";
import { MethodBindings } from "../protocol/methods.js";
import { callerIterator } from "./caller-iterators.js";
import { isMarkedCopy } from "./helpers.js";
import type { HandleTable } from "../protocol/handle-table.js";
import { isAsyncIteratorLike, isIteratorLike, RemoteIteration } from "./iterators.js";

export interface WorkerTables {
  readonly registry: Registry;
  readonly handles: HandleTable;
  /** Iteration state of iterators the caller holds, by the iterator object. */
  readonly iterations: WeakMap<object, RemoteIteration>;
  /** Background work begins (+1) or ends (-1): see WorkerTransport.background. */
  readonly background: (delta: 1 | -1) => void;
}

/** Register an iterator for remote stepping (once) and return its handle id. */
export function sendIterator(tables: WorkerTables, iterator: object): number {
  const existing = tables.iterations.get(iterator);
  // A finished iteration was dropped from the table: sending the iterator again starts a new entry.
  const iteration = existing !== undefined && !existing.isFinished ? existing : new RemoteIteration(iterator, () => tables.handles.forget(id), tables.background);
  tables.iterations.set(iterator, iteration);
  const id = tables.handles.send(iterator, () => void iteration.close());
  iteration.id = id;
  return id;
}

/** Objects that stay in the worker and cross as handles: functions and instances of user classes. */
function isHandled(value: object): boolean {
  if (typeof value === "function") return true;
  return !isMarkedCopy(value) && Registry.isUserInstance(value);
}

function handleMarker(tables: WorkerTables, value: object): HandleMarker {
  const id = tables.handles.send(value);
  if (typeof value === "function") return { [MARK]: "handle", id, cls: FUNCTION_HANDLE, fn: functionKind(value) };
  const cls = tables.registry.classIdOfInstance(value)!;
  const fields = Object.keys(value).filter((key) => typeof (value as Record<string, unknown>)[key] !== "function");
  return { [MARK]: "handle", id, cls, ...(fields.length > 0 && { fields }) };
}

export function workerEncodeHooks(tables: WorkerTables): EncodeHooks {
  const lookup = { classIdOf: (error: Error) => tables.registry.classIdOfInstance(error) };
  const methods = new MethodBindings();
  return {
    needsMarker: (value) => isError(value) || isIteratorLike(value) || isHandled(value),
    toMarker(value, encode, remember, owner): Marker {
      if (isError(value)) return encodeError(value, lookup, encode, remember);
      if (isIteratorLike(value)) return { [MARK]: "iterator", id: sendIterator(tables, value), async: isAsyncIteratorLike(value) };
      if (typeof value === "function") {
        // A class crosses as itself: the caller has one local class per worker class.
        if (isClass(value)) return { [MARK]: "class", id: tables.registry.classIdOf(value) };
        // A method of a plain object keeps its object as `this`.
        if (owner !== undefined) return handleMarker(tables, methods.of(owner, value as (...args: unknown[]) => unknown));
      }
      return handleMarker(tables, value);
    },
  };
}

export function workerDecodeHooks(tables: WorkerTables, callerFunction: (id: number) => unknown): DecodeHooks {
  const resolver = { classById: (id: number) => tables.registry.classById(id) as (abstract new (...args: never[]) => Error) | undefined };
  return {
    fromMarker(marker, decode, remember) {
      switch (marker[MARK]) {
        case "error":
          return decodeError(marker, resolver, decode, remember);
        case "callback": {
          const fn = callerFunction(marker.id);
          return marker.iterator === true ? callerIterator(fn as Parameters<typeof callerIterator>[0]) : fn;
        }
        case "class": {
          const cls = tables.registry.classById(marker.id);
          if (cls === undefined) throw new ReferenceLostError(`class #${marker.id} is unknown in this worker`);
          return cls;
        }
        case "backref": {
          const value = tables.handles.get(marker.id);
          if (value === undefined) throw new ReferenceLostError(`object #${marker.id} is no longer available in the worker (it was released)`);
          return value;
        }
        default:
          throw new ReferenceLostError(`the worker cannot decode a ${marker[MARK]} marker`);
      }
    },
  };
}
