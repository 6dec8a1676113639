// The implementation: async, with a dependency of its own (bundled into it) and the worker helpers
// (kept external, so that they are the worker's own copy).
import { currentCall } from "synchronicity-js/worker";
import { terms } from "./terms.mjs";

export async function define(term) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return { term, definition: terms[term] ?? "unknown", inCall: typeof currentCall()?.id === "number" };
}
