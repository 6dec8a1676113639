/**
 * `synchronicity-js/worker`: helpers for implementation modules, which run in the worker.
 */
export { copy, resource, type Resource } from "./helpers.js";
export { currentCall, currentSignal, type CallContext } from "./call-context.js";
