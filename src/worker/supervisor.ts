/**
 * Entry point of the supervisor thread.
 *
 * A blocked caller (in Atomics.wait) has a frozen event loop, so it cannot see the worker that runs
 * the implementation (the loop thread) die. This thread's event loop is never blocked. The
 * caller's thread starts it when needed (caller/host/worker-host.ts) and links it to the loop
 * thread with the lifeline (protocol/lifeline.ts): when the loop thread ends, however it ends
 * (before this thread started, too), this thread's end of the lifeline closes; it then sets STATE,
 * posts an exit notice on the control port and wakes the caller through shared memory. (Deno
 * leaves two ends unclosed: a terminate() inside synchronous code, covered by a grace period below,
 * and the heap limit, where the loop thread then ends itself: worker/memory-watch.ts.) It also
 * watches Ctrl-C for a blocked caller, and does nothing else.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import type { ControlMessage } from "../protocol/messages.js";
import type { LoopNotice } from "../protocol/lifeline.js";
import { BLOCKED, CONTROL, HANDLERS, INTERRUPT, SIGNALS, STATE, WorkerState, wakeCaller } from "../protocol/shared-state.js";
import { describeThrown, encodeBareError } from "../protocol/bare-errors.js";
import { watchSigint } from "./signals.js";
import { describeLoopEnd } from "./exit-reason.js";

export interface SupervisorWorkerData {
  readonly control: MessagePort;
  /** This thread's end of the lifeline to the loop thread. */
  readonly lifeline: MessagePort;
  readonly shared: Int32Array;
  /** Watch SIGINT for the caller (only when the caller is the main thread: workers get no signals). */
  readonly watchSignals: boolean;
}

/**
 * Messages the caller sends to the supervisor on the control port. "stop": the caller is about to
 * terminate the loop thread (terminateOnTimeout); the exit notice gives `reason`.
 */
export type SupervisorCommand = { readonly t: "stop"; readonly reason?: string };

const { control, lifeline, shared, watchSignals } = workerData as SupervisorWorkerData;

const send = (message: ControlMessage) => {
  control.postMessage(message);
  Atomics.add(shared, CONTROL, 1);
  wakeCaller(shared);
};

// This thread must never die silently: the caller may be blocked waiting for news from it.
process.on("uncaughtException", (error) => {
  Atomics.store(shared, STATE, WorkerState.Exited);
  send({ t: "exit", code: 1, reason: `the supervisor thread failed (${describeThrown(error)})`, error: encodeBareError(error) });
  process.exit(1);
});

/**
 * Ctrl-C. A caller blocked in a call is woken through shared memory and interrupts the call itself
 * (caller/shutdown.ts). Otherwise, if the user has a SIGINT listener, it gets the signal as usual.
 * Otherwise the process must end as a plain Node process would: stop watching, which gives SIGINT
 * its default disposition back, and raise it again. The same when a second Ctrl-C comes while the
 * first is still unread: the caller is not waiting but running code of its own (a callback that
 * never returns), which only the default disposition can stop.
 */
const sigint = watchSignals
  ? watchSigint(() => {
      Atomics.add(shared, SIGNALS, 1);
      const blocked = Atomics.load(shared, BLOCKED) > 0;
      const unread = Atomics.load(shared, INTERRUPT) !== 0;
      const listening = Atomics.load(shared, HANDLERS) > 0;
      if (blocked && !unread) {
        Atomics.store(shared, INTERRUPT, 2);
        wakeCaller(shared);
      } else if (!listening) {
        endAsPlainNode();
      }
    })
  : undefined;

function endAsPlainNode(): void {
  sigint?.stop();
  process.kill(process.pid, "SIGINT");
}

let started = false;
let exit: Extract<LoopNotice, { t: "exit" }> | undefined;
let uncaught: Extract<LoopNotice, { t: "uncaught" }> | undefined;
/** Set when the loop said it reached its heap limit (Deno) and is ending itself. */
let outOfMemory = false;
/** Set when the caller stopped the loop, with its reason. */
let requested: string | undefined;
/** Set once the loop's end has been reported. */
let ended = false;

function noticed(notice: LoopNotice): void {
  switch (notice.t) {
    case "hello":
      // (The loop marked itself Running in the shared state when it said this.)
      started = true;
      send({ t: "online", threadId: notice.threadId, signals: sigint?.mechanism ?? "none" });
      return;
    case "uncaught":
      uncaught = notice;
      return;
    case "oom":
      outOfMemory = true;
      return;
    case "exit":
      exit = notice;
      return;
  }
}

function commanded(command: SupervisorCommand): void {
  if (command.t !== "stop" || requested !== undefined) return;
  requested = command.reason ?? "the worker was stopped";
  // The caller terminates the loop right after this command. Node then closes the lifeline at
  // once; Deno (2.9) never closes the ports of a thread it terminated inside synchronous code (a
  // stuck worker, the very case of terminateOnTimeout), which would leave the next call waiting
  // forever. So the loop counts as ended after a grace period whatever the lifeline says.
  setTimeout(loopEnded, STOP_GRACE_MS).unref();
}

/** How long after a "stop" the loop thread counts as ended even if the lifeline never closes. */
const STOP_GRACE_MS = 1000;

lifeline.on("message", noticed);
control.on("message", commanded);

// The loop thread has ended. Node delivers what it posted on the lifeline before this event (and
// receiveMessageOnPort on a port in its own "close" crashes Node 20, so the lifeline is not read
// here). A "stop" the caller posted before terminating the loop may still be queued on the other
// port, which comes from another thread: read that one to the end first.
lifeline.on("close", loopEnded);

function loopEnded(): void {
  if (ended) return;
  ended = true;
  for (let m = receiveMessageOnPort(control); m !== undefined; m = receiveMessageOnPort(control)) commanded(m.message as SupervisorCommand);
  sigint?.stop();
  Atomics.store(shared, STATE, WorkerState.Exited);
  const { code, reason, error } = describeLoopEnd({ requested, started, outOfMemory, exit, uncaught });
  send({ t: "exit", code, reason, ...(error !== undefined && { error }) });
  // Nothing keeps this thread alive now: it ends by itself.
  control.close();
  lifeline.close();
}
