// Starts examples/fetch/server.mjs in a child process and returns its URL (blocking until it listens,
// with a plain async wait: this runs before any blocking call).
import { spawn } from "node:child_process";
import { once } from "node:events";

export async function startServer(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [new URL("./server.mjs", import.meta.url).pathname], { stdio: ["pipe", "pipe", "inherit"] });
  const [line] = (await once(child.stdout.setEncoding("utf8"), "data")) as [string];
  return { url: line.trim(), stop: () => child.stdin.end() };
}
