/**
 * The caller's side of the shared state (shared-state.ts) that every transport keeps the same way:
 * the wake-up counter it waits on, the count of blocking waits the supervisor reads when Ctrl-C
 * comes, the interrupt flag it sets, and how many SIGINT listeners the user has. The transports
 * (transport.ts, shm/caller-transport.ts) differ only in how messages move.
 */
import { BLOCKED, HANDLERS, INTERRUPT, SEQ } from "./shared-state.js";

export abstract class CallerSharedState {
  constructor(protected readonly shared: Int32Array) {}

  /** A token to pass to `wait`, read *before* polling (see CallerTransport.epoch). */
  epoch(): number {
    return Atomics.load(this.shared, SEQ);
  }

  /** This thread starts (or stops) blocking: a signal arriving meanwhile must interrupt it. */
  blocking(delta: 1 | -1): void {
    Atomics.add(this.shared, BLOCKED, delta);
  }

  /** Whether a signal interrupted the blocked thread since the last call (clears the flag). */
  takeInterrupt(): boolean {
    return Atomics.exchange(this.shared, INTERRUPT, 0) !== 0;
  }

  /** How many SIGINT listeners the user has installed (0: Ctrl-C must end the process). */
  setSignalListeners(count: number): void {
    Atomics.store(this.shared, HANDLERS, count);
  }
}
