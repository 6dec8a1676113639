/**
 * Where this library's own files are, so that stack traces can leave them out: a user wants to see
 * their implementation's frames and their own call site, not the machinery in between.
 * Set SYNCHRONICITY_DEBUG=1 to keep every frame.
 */
import { nodeUrl } from "./builtins.js";

// dist/cjs/ holds the running code; src/ appears in stacks when source maps are applied (vitest,
// --enable-source-maps), since dist/cjs/*.js.map point there.
// Computed on first use: URLs cost time when a process has made none yet, and most imports never need these.
let roots: string[] | undefined;
const libraryRoots = (): string[] => (roots ??= [new URL("./", import.meta.url), new URL("../../src/", import.meta.url)].flatMap((url) => [url.href, nodeUrl().fileURLToPath(url)]));

export const keepAllFrames = /^(1|true|yes|stack)$/i.test(process.env["SYNCHRONICITY_DEBUG"] ?? "");

/** Frames of the event loop's own plumbing, never interesting to a user of this library. */
const plumbing = [
  "node:internal/process/task_queues",
  "node:internal/event_target",
  "node:internal/per_context/messageport",
  "node:internal/worker",
  "node:internal/modules/esm/",
];

export function isLibraryFrame(line: string): boolean {
  return libraryRoots().some((root) => line.includes(root)) || plumbing.some((p) => line.includes(p));
}

const framePattern = /^\s+at /;

/** Splits a stack string into its header (the "Name: message" lines) and its frame lines. */
export function splitStack(stack: string): { header: string; frames: string[] } {
  const lines = stack.split("\n");
  let first = lines.findIndex((line) => framePattern.test(line));
  if (first === -1) first = lines.length;
  return { header: lines.slice(0, first).join("\n"), frames: lines.slice(first) };
}

export function userFrames(frames: readonly string[]): string[] {
  return keepAllFrames ? [...frames] : frames.filter((line) => !isLibraryFrame(line));
}
