import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The compiled fixture module `name` (test/fixtures/name.ts, built into build/fixtures). */
export function fixture(name: string): URL {
  return new URL(`../build/fixtures/${name}.js`, import.meta.url);
}

export function fixturePath(name: string): string {
  return fileURLToPath(fixture(name));
}

/** A script in test/scripts, run in a subprocess by `runNode`. */
export function script(name: string): string {
  return fileURLToPath(new URL(`./scripts/${name}`, import.meta.url));
}

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** Resolves after `ms` milliseconds. For waiting on something, prefer `waitFor`: a condition with a deadline. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Calls `fn` and returns what it threw (or what the promise it returned rejected with). Fails the
 * test, naming what came back instead, if it returned normally.
 */
export function thrown(fn: () => unknown): unknown {
  let value: unknown;
  try {
    value = fn();
  } catch (error) {
    return error;
  }
  throw new Error(`expected a throw, but the call returned ${describeValue(value)}`);
}

/** What `promise` rejected with; fails the test if it fulfilled. */
export async function rejected(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`expected a rejection, but the promise fulfilled with ${describeValue(value)}`);
}

function describeValue(value: unknown): string {
  try {
    return typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Polls `condition` (every few ms, on the event loop) until it returns true; fails with
 * `what` if it has not within `deadlineMs`. For waiting on an event without a fixed sleep.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, deadlineMs = 10_000): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Milliseconds `fn` took. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Run a command in a subprocess with a deadline: a hang fails the test with the output so far
 * instead of stalling the run.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { deadlineMs?: number; env?: NodeJS.ProcessEnv; cwd?: string; onStdout?: (chunk: string, child: import("node:child_process").ChildProcess) => void } = {},
): Promise<RunResult> {
  const deadlineMs = options.deadlineMs ?? 20_000;
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk, child);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not finish within ${deadlineMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, deadlineMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - start });
    });
  });
}

/** Run a Node script (with this Node) in a subprocess. */
export function runNode(file: string, args: readonly string[] = [], options: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  return run(process.execPath, [file, ...args], options);
}

/** The README's fenced code block whose body starts with `firstLine`: samples are tested as written. */
export function readmeSample(firstLine: string): string {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  for (const match of readme.matchAll(/```\w*\n([\s\S]*?)```/g)) {
    if (match[1]!.startsWith(firstLine)) return match[1]!;
  }
  throw new Error(`README.md has no code block starting with ${JSON.stringify(firstLine)}`);
}
