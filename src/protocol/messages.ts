/**
 * The wire protocol between a caller thread and the worker that runs the implementation.
 *
 * Every message is a plain object that survives structured clone. Both directions carry the
 * same two kinds of message: a Request (`t: "req"`) that asks the other side to do something,
 * and a Reply (`t: "res"`) that answers one Request by its id. Callers send most requests; the
 * worker sends requests too (a callback into the caller's thread), which is why both directions
 * share one shape. Ids are allocated by the side that sends the request, so the two id spaces
 * never meet: a reply always travels in the opposite direction of its request.
 *
 * Values inside `args`, `value` and `error` are *encoded* values (see values.ts): structured
 * clone data in which objects that must not be copied (handles, callbacks, errors) are replaced by
 * markers. `encoded: true` tells the receiver that markers are present and the value must be
 * decoded; when it is absent the value is used as it arrives, which keeps the common case cheap.
 */
import type { ClassShape } from "./shapes.js";

/** Identifies a module wrapped by a synchronizer; allocated by the caller, stable across worker restarts. */
export type ModuleId = number;

/** What a call is made on. */
export type Target =
  /** An export of a wrapped module, or (with `member`) a static member of an exported class. */
  | { readonly module: ModuleId; readonly name: string; readonly member?: string }
  /**
   * A member of an object living in the worker, named by its handle id. `name: null` calls the
   * object itself (a function). Well-known symbols are named "Symbol.asyncIterator", ...
   */
  | { readonly handle: number; readonly name: string | null };

export type RequestOp =
  /**
   * Import a module in the worker and reply with its shape (ModuleShape). With `inPlace`, the
   * module's "exports" are what it wrapped in place (`synchronizer.wrap`) rather than its exports.
   * With `setup`, it is the synchronizer's set-up module: every later import waits for it, and
   * fails if it failed.
   */
  | { readonly op: "import"; readonly module: ModuleId; readonly specifier: string; readonly inPlace?: true; readonly setup?: true }
  /** Call a function (or method) and reply with its result. */
  | { readonly op: "call"; readonly target: Target; readonly args: unknown[] }
  /** Construct an instance of a class and reply with a handle to it. */
  | { readonly op: "construct"; readonly target: Target; readonly args: unknown[] }
  /** Read a property (running a getter in the worker) and reply with its value. */
  | { readonly op: "get"; readonly target: Target }
  /** Write a property (running a setter in the worker). */
  | { readonly op: "set"; readonly target: Target; readonly value: unknown }
  /**
   * Call a generator function (or any function returning an iterator) and take its first step in
   * the same round trip. Reply: a StepReply whose `iterator` is the new iterator's handle id.
   */
  | { readonly op: "start"; readonly target: Target; readonly args: unknown[]; readonly readAhead?: number }
  /** Advance, return or throw into an iterator living in the worker. Reply: a StepReply. */
  | { readonly op: "iter"; readonly iterator: number; readonly how: IteratorStep; readonly value: unknown; readonly readAhead?: number }
  /**
   * Forget handles the sender no longer references (caller to worker: worker objects; worker to
   * caller: callbacks). Counts make this safe against races (see ARCHITECTURE.md).
   */
  | { readonly op: "release"; readonly handles: ReadonlyArray<readonly [id: number, received: number]> }
  /** Abort a call in flight (the worker aborts the call's AbortSignal). */
  | { readonly op: "cancel"; readonly call: number; readonly reason: unknown }
  /** Run cleanup of live objects and open generators, then reply. */
  | { readonly op: "shutdown"; readonly timeoutMs: number }
  /** Report the worker's table sizes and memory (WorkerStats), for diagnostics and leak tests. */
  | { readonly op: "stats" }
  /**
   * Worker to caller: call a function that lives in the caller's thread. `call` is the caller's id
   * of the request whose task made this call, if any: a caller blocked in exactly that request must
   * run the callback synchronously. `iterator` is set when a generator running ahead (read-ahead)
   * made the call: a caller blocked on any step of that iterator must run it synchronously too.
   * `calls` and `iterators` stand for both when the task is unknown because it started before the
   * worker tracked calls (worker/untracked.ts): it may be any of them, or none.
   */
  | {
      readonly op: "callback";
      readonly callback: number;
      readonly args: unknown[];
      readonly call?: number;
      readonly iterator?: number;
      readonly calls?: readonly number[];
      readonly iterators?: readonly number[];
    }
  /**
   * Either side: a message arrived that could not be deserialized at all, so the call it belonged
   * to is unknown; the caller fails every call pending at that moment rather than leave one hanging.
   */
  | { readonly op: "undeliverable"; readonly reason: string };

/** What `diagnostics()` reports of the worker thread (its `worker` field). */
export interface WorkerStats {
  /** Objects and iterators the caller holds handles to. */
  readonly handles: number;
  /** Requests the worker is working on. */
  readonly running: number;
  /** process.memoryUsage() of the worker's isolate. */
  readonly heapUsed: number;
  /** How requests reach the worker (counts since it started). */
  readonly transport: TransportStats;
}

export interface TransportStats {
  /** "shared-memory" (the default) or "port" (structured clone only: SYNCHRONICITY_TRANSPORT=port). */
  readonly kind: "shared-memory" | "port";
  /** Shared memory: times a request had to wake the worker's sleeping event loop with a message. */
  readonly wakeMessages: number;
  /**
   * Shared memory: messages the worker sent by the port (structured clone) instead: values the
   * compact codec does not take, large values while it is not yet optimized, a full ring.
   */
  readonly portMessages: number;
}

export type IteratorStep = "next" | "return" | "throw";

/**
 * The answer to a `start` or `iter` request: the values the iterator yielded (one in lockstep
 * mode, up to the read-ahead in bulk mode), then, if it finished, how: returned a value or threw.
 */
export interface StepReply {
  /** Handle id of the iterator (set by `start`, which created it). */
  readonly iterator?: number;
  readonly values: unknown[];
  /** The iterator finished by returning `returned`. */
  readonly done?: boolean;
  readonly returned?: unknown;
  /** The iterator finished by throwing `error`. */
  readonly threw?: boolean;
  readonly error?: unknown;
}

/** Options that travel with a call. Absent fields mean "no such option". */
export interface CallOptions {
  /** The caller waits synchronously for this reply; the worker may reply before finishing output. */
  readonly blocking?: boolean;
  /** Read-ahead for iterators created by this call. */
  readonly readAhead?: number;
}

/** Fields of a message whose payload is packed (see packing.ts). */
export interface PackedFields {
  /** The payload (args, value, error or reason) is the bytes of v8.serialize; the receiver deserializes it. */
  readonly packed?: true;
  /** With `packed`: the references the payload carries, [id, count], to release if it cannot be read. */
  readonly carried?: ReadonlyArray<readonly [id: number, count: number]>;
}

export type Request = RequestOp & PackedFields & {
  readonly t: "req";
  readonly id: number;
  /** True when args/value contain markers and must be decoded. */
  readonly encoded?: boolean;
  /** Caller to worker: the payload carries the caller's functions (see worker/call-context.ts). */
  readonly functions?: true;
  readonly options?: CallOptions;
  /** Descriptions of classes first mentioned in this message (worker to caller only). */
  readonly defs?: readonly ClassShape[];
};

/** The request of one kind: `RequestOf<"call">`. */
export type RequestOf<Op extends Request["op"]> = Extract<Request, { op: Op }>;

interface ReplyBase extends PackedFields {
  readonly t: "res";
  readonly id: number;
  /** True when value/error contain markers and must be decoded. */
  readonly encoded?: boolean;
  /** Caller to worker: the payload carries the caller's functions (see worker/call-context.ts). */
  readonly functions?: true;
  /** Descriptions of classes first mentioned in this message (worker to caller only). */
  readonly defs?: readonly ClassShape[];
}

export type Reply = (ReplyBase & { readonly ok: true; readonly value: unknown }) | (ReplyBase & { readonly ok: false; readonly error: unknown });

export type Message = Request | Reply;

/**
 * The reply to a step that yielded one item and nothing else, the item a primitive: what lockstep
 * iteration sends for each item (WorkerTransport.postStep, which the shared-memory transport
 * frames on its own: shm/format.ts).
 */
export function oneItemStepReply(id: number, item: unknown): Reply {
  return { t: "res", id, ok: true, value: { values: [item] } };
}

/**
 * Sent by the supervisor thread on the control channel when the worker stops.
 * The caller may be blocked in Atomics.wait at that moment; the supervisor also bumps the
 * shared signal so that the caller wakes up and reads this.
 */
export interface WorkerExitNotice {
  readonly t: "exit";
  readonly code: number;
  /** The uncaught error that ended the worker, encoded like any error, if there was one. */
  readonly error?: unknown;
  /** Why the worker stopped, in words: "exited with code 3", "ran out of memory", ... */
  readonly reason: string;
}

/** Sent by the supervisor once the worker thread runs (its threadId lets callers detect re-entrant calls). */
export interface WorkerOnlineNotice {
  readonly t: "online";
  readonly threadId: number;
  /** How Ctrl-C reaches a blocked caller (see worker/signals.ts), or "none". */
  readonly signals: "native-helper" | "signal_wrap" | "deno" | "none";
}

/**
 * Made by the caller's own transport, never sent: a message arrived that could not be
 * deserialized (so its id cannot be read). See Connection's handling of it.
 */
export interface UndeliverableNotice {
  readonly t: "undeliverable";
  readonly error: unknown;
}

export type ControlMessage = WorkerExitNotice | WorkerOnlineNotice | UndeliverableNotice;
