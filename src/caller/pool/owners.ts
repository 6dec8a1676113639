/**
 * Which worker of a pool a call must go to, from its arguments: an object (or iterator) living in
 * a worker can only be sent back to that worker, so a stateless call whose arguments hold one is
 * routed there. Arguments holding objects of two different workers cannot be sent anywhere: that
 * fails here, before anything is sent, with an error saying why.
 *
 * The walk covers what the encoder sends by reference inside plain containers (arrays, plain
 * objects, Maps, Sets), the places such objects are passed in practice. One hidden deeper (an
 * error's cause, past the depth limit) is still refused by the encoder (proxies.ts, assertSendable).
 */
import { DataCloneError } from "../../errors.js";
import type { Connection } from "../connection.js";
import { iterationOf } from "../iterators.js";
import { proxyInfo } from "../proxies.js";

/** Deeper than this, the walk stops (the encoder still checks what lies below). */
const MAX_DEPTH = 32;

interface Found {
  connection: Connection;
  position: number;
  label: string;
}

/** The live worker connection the arguments' objects belong to, if any. */
export function ownerOf(args: readonly unknown[]): Connection | undefined {
  let found: Found | undefined;
  let seen: Set<object> | undefined;
  const visit = (value: unknown, position: number, depth: number): void => {
    if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return;
    const here = ownConnection(value);
    if (here !== undefined) {
      if (here.connection.exited !== undefined) return; // lost: the encoder says so
      if (found === undefined) found = { ...here, position };
      else if (found.connection !== here.connection) throw mixedWorkers(found, { ...here, position });
      return;
    }
    seen ??= new Set();
    if (seen.has(value)) return;
    seen.add(value);
    for (const child of childrenOf(value)) visit(child, position, depth + 1);
  };
  for (let i = 0; i < args.length; i++) visit(args[i], i, 0);
  return found?.connection;
}

function ownConnection(value: object): { connection: Connection; label: string } | undefined {
  const info = proxyInfo(value);
  if (info !== undefined) return { connection: info.connection, label: info.label };
  const iteration = iterationOf(value);
  if (iteration?.connection !== undefined) return { connection: iteration.connection, label: `iterator #${iteration.id ?? "?"}` };
  return undefined;
}

/** The values inside a plain container; nothing for anything else (class instances are copied as data or refused by the encoder). */
function childrenOf(value: object): Iterable<unknown> {
  if (Array.isArray(value)) return value;
  if (value instanceof Map) return [...value.keys(), ...value.values()];
  if (value instanceof Set) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return [];
  try {
    return Object.values(value);
  } catch {
    return []; // a getter that throws: the encoder reports it, naming the argument
  }
}

function mixedWorkers(first: Found, second: Found): DataCloneError {
  const at = (found: Found) => `argument ${found.position + 1} (${found.label})`;
  return new DataCloneError(
    `${at(second)} lives in another worker of the pool than ${at(first)}: an object stays on the worker that created it, ` +
      "and one call runs in one worker, so a call cannot take objects of two workers; make them in one worker (pass one of them to a call that creates the other) or pass plain data",
    { position: `argument ${second.position + 1}` },
  );
}
