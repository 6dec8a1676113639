// Ctrl-C mechanisms compared: time from SIGINT to the worker task's cleanup starting, and to the
// process ending, for each way the signal can reach a blocked caller (docs/ARCHITECTURE.md).
//   node bench/sigint-latency.js [rounds]
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const script = fileURLToPath(new URL("../test/scripts/sigint.mjs", import.meta.url));
const helper = fileURLToPath(new URL("../packages/signals/index.cjs", import.meta.url));
const rounds = Number(process.argv[2] ?? 20);

function once(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, "blocking"], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let sentAt = 0;
    let cleanupAt = 0;
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      out += chunk;
      if (!sentAt && out.includes("task started")) {
        sentAt = performance.now();
        child.kill("SIGINT");
      }
      if (sentAt && !cleanupAt && out.includes("cleanup begins")) cleanupAt = performance.now();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const endedAt = performance.now();
      const mechanism = /signals: (\S+)/.exec(out)?.[1] ?? "?";
      resolve({ mechanism, cleanup: cleanupAt ? cleanupAt - sentAt : undefined, exit: endedAt - sentAt, code, signal });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const setups = [["built in", {}]];
if (existsSync(new URL("../packages/signals/build/Release/signals.node", import.meta.url))) setups.push(["native helper", { SYNCHRONICITY_SIGNALS_HELPER: helper }]);
console.log(`node ${process.version}, ${rounds} rounds each`);
console.log("setup           mechanism       SIGINT->cleanup starts   SIGINT->process ended   cleanup ran   exit");
for (const [name, env] of setups) {
  const results = [];
  for (let i = 0; i < rounds; i++) results.push(await once(env));
  const cleanups = results.map((r) => r.cleanup).filter((x) => x !== undefined);
  const ms = (x) => (x === undefined ? "-" : `${x.toFixed(1)} ms`);
  console.log(
    `${name.padEnd(15)} ${results[0].mechanism.padEnd(15)} ${ms(cleanups.length ? median(cleanups) : undefined).padEnd(24)} ${ms(median(results.map((r) => r.exit))).padEnd(23)} ${`${cleanups.length}/${rounds}`.padEnd(13)} ${results[0].signal ?? results[0].code}`,
  );
}
