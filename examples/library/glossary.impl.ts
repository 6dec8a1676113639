// examples/library/glossary.impl.ts: the implementation, ordinary async code. It runs in the worker.
import { setTimeout as sleep } from "node:timers/promises";
import { currentSignal } from "synchronicity-js/worker";

/** Thrown for a term the glossary does not have; arrives in the caller as this class. */
export class UnknownTermError extends Error {
  override name = "UnknownTermError";
  constructor(readonly term: string) {
    super(`no entry for "${term}"`);
  }
}

const entries = new Map([
  ["worker", "a thread with its own event loop"],
  ["handle", "a reference to an object that stays where it was made"],
]);

/** Looks a term up (the sleep stands for a network or disk round trip). */
export async function define(term: string): Promise<string> {
  await sleep(10, undefined, { signal: currentSignal() }); // stops early when the call is cancelled
  const entry = entries.get(term);
  if (entry === undefined) throw new UnknownTermError(term);
  return entry;
}

/** A slow source: only useful to show cancellation. */
export async function defineSlowly(term: string, ms: number): Promise<string> {
  await sleep(ms, undefined, { signal: currentSignal() });
  return define(term);
}
