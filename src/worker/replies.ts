/**
 * Posting from the worker: replies to the caller's requests and the worker's own requests
 * (callbacks), encoded and packed. A reply must reach the caller whatever happened, so a value that
 * cannot be copied is answered with a DataCloneError that says which part failed, and that error
 * with one made of strings only if need be.
 */
import type { Message, PackedFields, Request, RequestOp, StepReply } from "../protocol/messages.js";
import { countIds, pack } from "../protocol/packing.js";
import type { ClassShape } from "../protocol/shapes.js";
import type { WorkerTransport } from "../protocol/transport.js";
import { encodeValue, type EncodeHooks } from "../protocol/values.js";
import { describeType, findUncloneable, isStackOverflow, messageOf } from "../protocol/describe.js";
import { isError, withCopyableFields } from "../protocol/errors.js";
import { DataCloneError } from "../errors.js";
import { Registry } from "../protocol/registry.js";
import { isIteratorLike } from "../protocol/iterables.js";
import type { WorkerTables } from "./codec.js";

/** The extra fields of a message whose payload needs none (most messages). */
const NO_EXTRA = Object.freeze({});

export class Replies {
  constructor(
    private readonly transport: WorkerTransport,
    private readonly tables: WorkerTables,
    private readonly encodeHooks: EncodeHooks,
  ) {}

  /** Post a value; if it cannot be copied, post `fallback(value)` instead when given, else the error. */
  replyValue(id: number, value: unknown, what: string | (() => string), fallback?: (value: unknown) => unknown): void {
    try {
      this.postReply(id, true, value);
    } catch (error) {
      try {
        if (fallback === undefined) throw error;
        this.postReply(id, true, fallback(value));
      } catch {
        this.replyError(id, cloneFailure(typeof what === "string" ? what : what(), value, error));
      }
    }
  }

  /**
   * A step reply that cannot be copied because of one item (read-ahead batches several): the items
   * before it are still delivered, then the DataCloneError, as lockstep iteration would give them.
   */
  replyStep(request: Request, reply: StepReply, what: string): void {
    const id = request.id;
    try {
      // Items that are all primitives need no encoding (and no scan, which for a read-ahead batch
      // would cost more than its copy): the message postReply would build, without the walk.
      if (!isPlainStep(reply)) this.postReply(id, true, reply);
      else if (isOneItem(reply)) this.transport.postStep(id, reply.values[0]);
      else this.transport.post({ t: "res", id, ok: true, value: reply });
      return;
    } catch (error) {
      const bad = reply.values.findIndex((value) => !this.copyable(value));
      const failure = cloneFailure(what, bad === -1 ? reply : reply.values[bad], error);
      // For the caller the iteration ends with this error, as if the generator had thrown it; so it
      // does here too: the generator is closed (its finally runs) and dropped from the table.
      const iteratorId = reply.iterator ?? (request.op === "iter" ? request.iterator : undefined);
      const iteration = iteratorId === undefined ? undefined : this.tables.iterations.get(this.tables.handles.get(iteratorId) ?? {});
      void iteration?.close();
      try {
        const values = bad === -1 ? reply.values : reply.values.slice(0, bad);
        this.postReply(id, true, { ...(reply.iterator !== undefined && { iterator: reply.iterator }), values, threw: true, error: failure });
      } catch {
        this.replyError(id, failure);
      }
    }
  }

  /** Whether `value` can be sent, found by encoding and cloning it without posting (nothing stays registered). */
  private copyable(value: unknown): boolean {
    const { registry, handles } = this.tables;
    handles.beginMessage();
    try {
      structuredClone(encodeValue(value, this.encodeHooks).value);
      return true;
    } catch {
      return false;
    } finally {
      handles.endMessage(false);
      registry.unsend(registry.takeDefs());
    }
  }

  replyError(id: number, error: unknown): void {
    try {
      this.postReply(id, false, error);
      return;
    } catch (failure) {
      try {
        // An error with a field that cannot be copied: send it with that field described instead.
        if (typeof error === "object" && error !== null && isError(error)) {
          this.postReply(id, false, withCopyableFields(error));
          return;
        }
      } catch {
        // Still not copyable: fall through.
      }
      // The thrown value itself cannot be copied: say so, with an error that always can be.
      try {
        this.postReply(id, false, cloneFailure("the thrown value", error, failure));
      } catch (last) {
        this.replyLastResort(id, last);
      }
    }
  }

  /** A reply must reach the caller whatever happened: a DataCloneError made of strings only. */
  replyLastResort(id: number, error: unknown): void {
    try {
      this.postReply(id, false, new DataCloneError(`the reply could not be copied to the other thread (${messageOf(error)})`));
    } catch {
      // Only a transport that is gone fails here; the worker's exit then reaches the caller.
    }
  }

  /** Post a request to the caller (a callback, or a release of callbacks). */
  postRequest(id: number, op: RequestOp): void {
    if (op.op === "callback") this.postEncoded(op.args, (args, extra) => ({ t: "req", id, ...op, args: args as unknown[], ...extra }));
    else this.postEncoded(undefined, (_, extra) => ({ t: "req", id, ...op, ...extra }));
  }

  /** Encode and post one reply; throws (having sent nothing) when the payload cannot be copied. */
  postReply(id: number, ok: boolean, payload: unknown): void {
    this.postEncoded(payload, (value, extra) => (ok ? { t: "res", id, ok: true, value, ...extra } : { t: "res", id, ok: false, error: value, ...extra }));
  }

  /**
   * Encode `payload`, build the message around it and post it. If it cannot be posted, it throws
   * and nothing was sent: the handles and class descriptions registered while encoding are undone.
   */
  private postEncoded(payload: unknown, build: (value: unknown, extra: { encoded?: true; defs?: ClassShape[] } & PackedFields) => Message): void {
    const { registry, handles } = this.tables;
    handles.beginMessage();
    let posted = false;
    let defs: ClassShape[] | undefined;
    try {
      // Plain data goes in one pass, as in the caller's outbox (caller/wire/outbox.ts), unless class
      // descriptions must go with it (a module's shape names its classes: registry.ts).
      const offered = typeof payload === "object" && payload !== null && !registry.hasPendingDefs ? build(payload, NO_EXTRA) : undefined;
      if (offered !== undefined && this.transport.postCompact(offered)) {
        posted = true;
        return;
      }
      const { value, encoded, deep } = encodeValue(payload, this.encodeHooks);
      defs = registry.takeDefs();
      // Deep values travel packed: see protocol/packing.ts.
      const packed = deep ? pack(value) : undefined;
      const extra = !encoded && defs === undefined && packed === undefined ? NO_EXTRA : {
        ...(encoded && { encoded: true as const }),
        ...(defs && { defs }),
        ...(packed !== undefined && { packed: true as const, carried: countIds(handles.journaled()) }),
      };
      if (offered !== undefined && extra === NO_EXTRA) this.transport.postCloned(offered);
      else this.transport.post(build(packed ?? value, extra));
      posted = true;
    } finally {
      handles.endMessage(posted);
      if (!posted) registry.unsend(defs ?? registry.takeDefs());
    }
  }
}

const isPrimitive = (value: unknown): boolean => (typeof value !== "object" || value === null) && typeof value !== "function";

/** A step that yielded one item and nothing else (lockstep iteration): see WorkerTransport.postStep. */
function isOneItem(reply: StepReply): boolean {
  return reply.values.length === 1 && reply.iterator === undefined && reply.done === undefined && reply.threw === undefined;
}

/** A step reply made of primitives only: no error, a primitive return value, primitive items. */
function isPlainStep(reply: StepReply): boolean {
  if (reply.threw !== undefined || !isPrimitive(reply.returned)) return false;
  const values = reply.values;
  for (let i = 0; i < values.length; i++) if (!isPrimitive(values[i])) return false;
  return true;
}

/** What the worker sends as a reference or a marker, never by structured clone. */
export function sentByReference(value: object): boolean {
  return typeof value === "function" || isError(value) || isIteratorLike(value) || Registry.isUserInstance(value);
}

/** A DataCloneError that says which part of which value could not be copied. */
export function cloneFailure(what: string, value: unknown, error: unknown): DataCloneError {
  if (isStackOverflow(error)) {
    return new DataCloneError(`${what} is nested too deeply to be copied to the other thread`, { position: what, cause: error });
  }
  // What the worker sends by reference (functions, objects of user classes, iterators) is not the problem.
  const found = findUncloneable(value, (v) => typeof v === "function" || isIteratorLike(v) || Registry.isUserInstance(v));
  const where = found && found.path ? `${what}, at ${found.path},` : what;
  const type = describeType(found ? found.value : value);
  const reason = messageOf(error);
  return new DataCloneError(`${where} could not be copied to the other thread: it is ${type} (${reason})`, {
    position: what,
    cause: error,
  });
}

/**
 * What a result settles to. `await` reads `then` from any object, which throws for a revoked Proxy
 * or a throwing trap: that is a value that cannot be sent, not an error of the implementation.
 */
export async function settledResult(value: unknown, what: string | (() => string)): Promise<unknown> {
  if ((typeof value === "object" && value !== null) || typeof value === "function") {
    let then: unknown;
    try {
      then = (value as { then?: unknown }).then;
    } catch (error) {
      throw cloneFailure(typeof what === "string" ? what : what(), value, error);
    }
    if (typeof then !== "function") return value;
  }
  return await value;
}
