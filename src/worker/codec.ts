/**
 * The worker's side of value encoding: what it sends as markers, and what the markers it
 * receives become.
 */
import type { DecodeHooks, EncodeHooks } from "../protocol/values.js";
import { decodeError, encodeError, isError } from "../protocol/errors.js";
import type { Marker } from "../protocol/markers.js";
import { ReferenceLostError } from "../errors.js";
import type { Registry } from "./registry.js";

export function workerEncodeHooks(registry: Registry): EncodeHooks {
  const lookup = { classIdOf: (error: Error) => registry.classIdOfInstance(error) };
  return {
    needsMarker: (value) => isError(value),
    toMarker(value, encode, remember): Marker {
      return encodeError(value as Error, lookup, encode, remember);
    },
  };
}

export function workerDecodeHooks(registry: Registry): DecodeHooks {
  const resolver = { classById: (id: number) => registry.classById(id) as (abstract new (...args: never[]) => Error) | undefined };
  return {
    fromMarker(marker, decode, remember) {
      switch (marker.__synchronicity__) {
        case "error":
          return decodeError(marker, resolver, decode, remember);
        default:
          throw new ReferenceLostError(`the worker cannot decode a ${marker.__synchronicity__} marker`);
      }
    },
  };
}
