/**
 * Stack traces of errors thrown in the worker, as the caller sees them: the implementation's
 * frames (from the worker) followed by the caller's own frames, without this library's frames
 * in between.
 */
import { splitStack, userFrames } from "../../library-location.js";

/**
 * Errors decoded from the worker whose stack still lacks the caller's frames. On globalThis: the
 * caller's front and the rest of its library (two files, each with a copy of this module: see
 * scripts/build.mjs) mark and read the same set.
 */
const remoteErrors: WeakSet<object> = ((globalThis as Record<symbol, unknown>)[Symbol.for("synchronicity.remoteErrors")] ??= new WeakSet<object>()) as WeakSet<object>;

export function markRemote(error: unknown): void {
  if (typeof error === "object" && error !== null) remoteErrors.add(error);
}

/**
 * Append the caller's frames (taken from `site`, an Error created at the call site) to a remote
 * error's stack, once. Values that are not remote errors pass through unchanged.
 */
export function withCallerFrames(error: unknown, site: Error): unknown {
  if (typeof error !== "object" || error === null || !remoteErrors.has(error)) return error;
  remoteErrors.delete(error);
  const stack = (error as { stack?: unknown }).stack;
  if (typeof stack !== "string") return error;
  const remote = splitStack(stack);
  const local = userFrames(splitStack(site.stack ?? "").frames);
  const lines = [remote.header, ...userFrames(remote.frames), ...local];
  Object.defineProperty(error, "stack", { value: lines.join("\n"), writable: true, configurable: true, enumerable: false });
  return error;
}

/** Clean the worker part of a stack when no caller site is at hand (errors nested as causes). */
export function cleanRemoteStack(stack: string): string {
  const { header, frames } = splitStack(stack);
  return [header, ...userFrames(frames)].join("\n");
}
