const [lib] = process.argv.slice(2);
let add;
if (lib === "ours") {
  const { Synchronizer } = await import("/work/main/dist/esm/index.js");
  const s = new Synchronizer(); const api = s.wrapModule(new URL("file:///work/main/bench/impl/add.mjs")); add = api.add;
} else if (lib === "ms") {
  const { default: makeSynchronized } = await import("make-synchronized");
  add = makeSynchronized(new URL("file:///work/main/bench/impl/add.mjs")).add ?? makeSynchronized(new URL("file:///work/main/bench/impl/add.mjs"), "add");
} else {
  const { createSyncFn } = await import("synckit");
  add = createSyncFn("/work/main/bench/workers/synckit-add.mjs");
}
add(1, 2);
const N = Number(process.env.N ?? 100000);
for (let w = 0; w < 2; w++) { const t0 = performance.now(); for (let i = 0; i < N; i++) add(i, 1); console.log(lib, ((performance.now() - t0) * 1000 / N).toFixed(2), "us"); }
process.exit(0);
