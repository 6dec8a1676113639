/**
 * What a connection knows of its worker's supervisor thread (caller/host/worker-host.ts decides
 * when it starts): how Ctrl-C reaches this thread once it runs, and who waits for that.
 */
import type { WorkerOnlineNotice } from "../../protocol/messages.js";

export type SignalMechanism = WorkerOnlineNotice["signals"];

export class Supervision {
  /** How Ctrl-C reaches this thread while it blocks (known once the supervisor runs). */
  signals: SignalMechanism | undefined;
  /** Waiting for the supervisor's "online" (see ready). */
  private waiters: Array<() => void> = [];

  constructor(
    /** Starts the supervisor, if it has not been. */
    private readonly start: () => void,
  ) {}

  /** The supervisor's "online" notice. */
  online(signals: SignalMechanism): void {
    this.signals = signals;
    this.release();
  }

  /**
   * Starts the supervisor if need be; resolves once it runs (Ctrl-C is watched from then on), or
   * at once when `ended` (the worker ended or the connection closed: no notice will come).
   */
  ready(ended: boolean): Promise<void> {
    if (this.signals !== undefined || ended) return Promise.resolve();
    this.start();
    return new Promise((resolve) => {
      // The notice comes on the control port, which keeps the event loop alive only while async
      // calls are pending (transport.keepAlive): this wait must, too.
      const alive = setInterval(() => {}, 60_000);
      this.waiters.push(() => {
        clearInterval(alive);
        resolve();
      });
    });
  }

  /** The notice came, or will never come (the worker ended, the connection closed): stop waiting. */
  release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
