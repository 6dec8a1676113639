/**
 * Packed payloads: values nested too deeply to be sure the receiver can deserialize them.
 *
 * Structured clone deserializes recursively on the receiving thread's stack. A thread with less
 * stack than the sender (the main thread has a quarter of a worker's), or with most of it in use
 * (blocking calls nested in callbacks), fails with a RangeError while *receiving* a deep value,
 * and a message that cannot be deserialized cannot be read at all: not even its id, so no call
 * could be told. Such values are therefore serialized by the sender (v8.serialize) into bytes
 * that always arrive; the receiver deserializes them itself, and a failure then belongs to the one
 * call the message names. The message also lists the references its payload carries (`carried`),
 * so that they can be released when it cannot be read. Shallow values, nearly all of them, are
 * posted as they are.
 */
import { v8 } from "../builtins.js";
import { DataCloneError } from "../errors.js";
import { isStackOverflow, messageOf } from "./describe.js";

/** The bytes of a deep value, or undefined when v8.serialize refuses it (it is then posted as it is). */
export function pack(value: unknown): Uint8Array | undefined {
  try {
    return v8().serialize(value);
  } catch {
    return undefined;
  }
}

/** The payload of a received message, unpacked if it was packed. Throws a DataCloneError naming `what`. */
export function unpack(payload: unknown, packed: boolean | undefined, what: string): unknown {
  if (!packed) return payload;
  try {
    return v8().deserialize(payload as Uint8Array);
  } catch (error) {
    throw receiveFailure(what, error);
  }
}

/** The error for a value this thread could not take in (too deep for its stack, or unreadable). */
export function receiveFailure(what: string, error: unknown): DataCloneError {
  const why = isStackOverflow(error) ? "it is nested too deeply for this thread's stack" : `it could not be read (${messageOf(error)})`;
  return new DataCloneError(`${what} could not be received: ${why}`, { position: what, cause: error });
}

/** Counts of each id in a message's journal of references: what `carried` lists. */
export function countIds(ids: readonly number[]): Array<[id: number, count: number]> {
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts];
}
