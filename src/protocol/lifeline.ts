/**
 * The lifeline: a MessageChannel between the worker thread that runs the implementation (the
 * loop) and the supervisor thread. The caller makes it with the loop thread and hands the loop its
 * end; the supervisor gets the other end when the caller starts it, when one is needed
 * (caller/host/worker-host.ts), which may be after the loop has ended.
 *
 * Its purpose is the supervisor's end's `close` event: Node closes a port when the thread holding
 * its peer ends, however it ends (process.exit, an uncaught error, the heap limit, terminate()),
 * and even if that happened before the supervisor started listening. The supervisor's event loop
 * is never blocked, so it always sees the loop die and can wake a blocked caller (supervisor.ts).
 * Deno closes it too, except for a thread it ended inside synchronous code (terminate()), which
 * the supervisor counts as ended after a grace period, and a thread it stopped at the heap limit
 * but left running, which ends itself (worker/memory-watch.ts).
 *
 * Before it dies, the loop says what it can (worker/lifeline.ts): the uncaught error that ends it,
 * its exit code, and on Deno that it reached its heap limit. A thread that Node ends without
 * running its exit handlers (the heap limit) says nothing; the supervisor words that case from
 * what it knows (worker/exit-reason.ts).
 */

/** From the loop thread to the supervisor. */
export type LoopNotice =
  /** The loop runs (its hooks below are installed): the supervisor tells the caller it is online. */
  | { readonly t: "hello"; readonly threadId: number }
  /** An uncaught error or unhandled rejection (encoded like any error), with its text for the exit reason. */
  | { readonly t: "uncaught"; readonly error: unknown; readonly text: string }
  /**
   * Deno: the runtime stopped this thread's code at its heap limit but left the thread running; it
   * ends itself now (worker/memory-watch.ts).
   */
  | { readonly t: "oom" }
  /** The thread is exiting with `code`; `uncaught`: because of the last "uncaught" notice. */
  | { readonly t: "exit"; readonly code: number; readonly uncaught: boolean };
