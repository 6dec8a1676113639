/**
 * Dispose runs once per object. The caller's `using` (or an explicit `[Symbol.dispose]()`) disposes
 * an object it still holds; shutdown (process exit, close()) disposes what the caller still holds.
 * Without a record of the first, the object would be disposed again at shutdown.
 */
import type { Target } from "../protocol/messages.js";

const disposeMembers = new Set(["Symbol.asyncDispose", "Symbol.dispose"]);

export class Disposals {
  private readonly disposed = new WeakSet<object>();

  /** Whether `target` names the dispose method of a worker object. */
  static isDisposeCall(target: Target): boolean {
    return "handle" in target && target.name !== null && disposeMembers.has(target.name);
  }

  /** Record that `value` is being disposed; false if it was already (then nothing must run). */
  claim(value: object): boolean {
    if (this.disposed.has(value)) return false;
    this.disposed.add(value);
    return true;
  }
}
