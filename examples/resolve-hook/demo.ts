// `tsx examples/resolve-hook/demo.ts` (Node 22.15 or later): imports a module from a local server.
import { startServer } from "../fetch/start-server.js";
import { registerRemoteImports } from "./hooks.js";

const server = await startServer();
const hooks = registerRemoteImports(server.url);
try {
  const remote = (await import("remote:answer" as string)) as { answer: number; default(name: string): string };
  console.log("answer:", remote.answer);
  console.log(remote.default("hooks"));
  try {
    await import("remote:missing" as string);
  } catch (error) {
    console.log("error:", (error as Error).message.replace(server.url, "<server>"));
  }
} finally {
  hooks.deregister();
  server.stop();
}
