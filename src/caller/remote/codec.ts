/**
 * The caller's side of value encoding: what it sends as markers, and what the markers it
 * receives from the worker become.
 */
import type { EncodeHooks } from "../../protocol/values.js";
import type { DecodeHooks } from "../../protocol/value-decoding.js";
import { decodeError, encodeError, isError } from "../../protocol/errors.js";
import { MARK, type Marker } from "../../protocol/markers.js";
import { ReferenceLostError } from "../../errors.js";
import { cleanRemoteStack } from "../support/stack.js";
import type { Connection } from "../wire/connection.js";
import { iterationOf, iteratorIdToSend, RemoteGenerator } from "./iterators.js";
import { IterationState } from "./iteration-state.js";
import { assertSendable, createHandleProxy, proxyInfo } from "./proxies.js";
import { MethodBindings } from "../../protocol/methods.js";
import { closeLent, isLendableIterator, stepperFor } from "./lent-iterators.js";

export function callerEncodeHooks(connection: Connection): EncodeHooks {
  const lookup = { classIdOf: (error: Error) => connection.classes.idOfInstance(error) };
  const methods = new MethodBindings();
  return {
    needsMarker: (value) => isError(value) || typeof value === "function" || proxyInfo(value) !== undefined || iterationOf(value) !== undefined || isLendableIterator(value),
    toMarker(value, encode, remember, owner): Marker {
      const info = proxyInfo(value);
      if (info !== undefined) {
        // A proxy goes back as a reference: the worker receives its original object.
        assertSendable(info, connection);
        return { [MARK]: "backref", id: info.id };
      }
      // So does an iterator living in the worker.
      const iteration = iterationOf(value);
      if (iteration !== undefined) return { [MARK]: "backref", id: iteratorIdToSend(iteration, connection) };
      if (typeof value === "function") {
        // A worker class (api.MyClass, or one a call returned) goes back as that class.
        const cls = connection.classes.idOf(value);
        if (cls !== undefined) return { [MARK]: "class", id: cls };
        // A function stays here; the worker gets a proxy that calls it in this thread. A method of a
        // plain object is called with that object as `this`.
        const fn = owner === undefined ? value : methods.of(owner, value as (...args: unknown[]) => unknown);
        return { [MARK]: "callback", id: connection.callbacks.send(fn) };
      }
      if (isLendableIterator(value)) {
        // An iterator stays here too; the worker steps it through a callback, and closes it when done with it.
        const step = stepperFor(value);
        return { [MARK]: "callback", id: connection.callbacks.send(step, () => closeLent(step)), iterator: true };
      }
      return encodeError(value as Error, lookup, encode, remember);
    },
  };
}

export function callerDecodeHooks(connection: Connection): DecodeHooks {
  const resolver = { classById: (id: number) => connection.classes.get(id) as (abstract new (...args: never[]) => Error) | undefined };
  return {
    fromMarker(marker, decode, remember) {
      switch (marker[MARK]) {
        case "error": {
          const error = decodeError(marker, resolver, decode, remember);
          if (typeof error.stack === "string") {
            Object.defineProperty(error, "stack", { value: cleanRemoteStack(error.stack), writable: true, configurable: true });
          }
          return error;
        }
        case "handle":
          return connection.refs.adopt(marker.id, () => createHandleProxy(connection, marker));
        case "class": {
          const cls = connection.classes.get(marker.id);
          if (cls === undefined) throw new ReferenceLostError(`class #${marker.id} was not described by the worker`);
          return cls;
        }
        case "iterator":
          return connection.refs.adopt(marker.id, () => new RemoteGenerator(new IterationState({ readAhead: 0, closeTimeoutMs: connection.options.closeTimeoutMs }, undefined, connection, marker.id)));
        default:
          throw new ReferenceLostError(`the caller cannot decode a ${marker[MARK]} marker`);
      }
    },
  };
}
