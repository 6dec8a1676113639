/**
 * Runs the caller's functions when the worker calls them (callbacks passed as arguments).
 *
 * When this thread is blocked in exactly the call whose task invokes the callback, the callback
 * must finish synchronously: its promise could only settle once the blocked call returns, which
 * waits for the callback, a deadlock. Such a callback that returns a promise gets a clear error
 * instead. Any other callback (during an `.aio` call, or from a listener the worker kept) may be
 * async: its result is sent when it settles.
 */
import { ClosedError, ReferenceLostError } from "../../errors.js";
import { isThenable } from "../../protocol/functions.js";
import type { Connection } from "../wire/connection.js";
import type { CallbackRequest } from "../wire/terms.js";

export class CallbackServer {
  constructor(private readonly connection: Connection) {}

  serve(request: CallbackRequest, blocked: boolean): void {
    const { connection } = this;
    if (connection.shutdownStarted) {
      // The process is exiting (or the synchronizer closing), perhaps after Ctrl-C: run no more of
      // the user's code for the worker. A callback that never returned would hold the exit hook,
      // where a second Ctrl-C could no longer end the process.
      connection.releaseUnread(request, request.args);
      connection.postReply(request.id, false, new ClosedError("the synchronizer is shutting down: the caller runs no more callbacks"));
      return;
    }
    const fn = connection.callbacks.get(request.callback);
    if (typeof fn !== "function") {
      connection.releaseUnread(request, request.args);
      connection.postReply(request.id, false, new ReferenceLostError(`callback #${request.callback} was released by the worker and can no longer be called`));
      return;
    }
    let result: unknown;
    try {
      const args = connection.receive(request, request.args, "the callback's arguments") as unknown[];
      result = Reflect.apply(fn as (...args: unknown[]) => unknown, undefined, args);
    } catch (error) {
      this.reply(request.id, false, error);
      return;
    }
    if (!isThenable(result)) {
      this.reply(request.id, true, result);
      return;
    }
    const mustBeSync = blocked && connection.waitsFor(request);
    if (mustBeSync) {
      // Keep the abandoned promise from becoming an unhandled rejection.
      Promise.resolve(result).catch(() => {});
      const name = (fn as { name?: string }).name || "anonymous";
      this.reply(
        request.id,
        false,
        new TypeError(
          `the callback ${name}() returned a promise while the caller is blocked in the call that invoked it; ` +
            "the promise could only settle after that call returns, which waits for the callback. " +
            "Pass a synchronous callback to blocking calls, or make the call with .aio",
        ),
      );
      return;
    }
    Promise.resolve(result).then(
      (value) => this.reply(request.id, true, value),
      (error: unknown) => this.reply(request.id, false, error),
    );
  }

  /** Reply, falling back to an error that can always be copied if the value cannot. */
  private reply(id: number, ok: boolean, payload: unknown): void {
    try {
      this.connection.postReply(id, ok, payload);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.connection.postReply(id, false, new TypeError(`the callback's ${ok ? "result" : "error"} could not be copied to the worker: ${message}`));
    }
  }
}
