#!/usr/bin/env bash
# Checks the package as users get it: `npm pack` from a tree without dist/ (prepack must build),
# publint and attw on the tarball, then a fresh project that installs the tarball and uses it from
# CommonJS and from ESM, JavaScript (run) and TypeScript (type-checked as .cts and .mts).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

rm -rf dist build/tsbuildinfo/src.tsbuildinfo
npm pack --silent --pack-destination "$scratch" > /dev/null
tarball="$(ls "$scratch"/synchronicity-js-*.tgz)"
echo "== packed $(basename "$tarball") ($(tar -tzf "$tarball" | wc -l) files)"
if tar -tzf "$tarball" | grep -E '\.map$|^package/(src|test|scripts)/'; then
  echo "the tarball ships files users do not need (above)" >&2
  exit 1
fi

# Every relative link of the README (and of the docs it ships) to a file of the repository must
# lead to a file in the tarball. (A link to a file the repository lacks, such as a chart the bench
# writes, is reported but is not a packaging fault.)
listing="$(tar -tzf "$tarball")"
missing=0
for doc in README.md docs/*.md; do
  for link in $(grep -oE '\]\([^)#]+' "$doc" | sed 's/^](//' | grep -E '^[A-Za-z0-9_./-]+$' | grep -vE '^\.+$' || true); do
    target="$(realpath -m --relative-to=. "$(dirname "$doc")/$link")"
    if [ ! -e "$target" ]; then
      echo "note: $doc links $link, which the repository lacks" >&2
    elif [ -f "$target" ] && ! grep -qxF "package/$target" <<< "$listing"; then
      echo "$doc links $link, which the tarball lacks" >&2
      missing=1
    fi
  done
done
[ "$missing" = 0 ]

echo "== publint"
npx publint --strict "$repo"
echo "== attw"
npx attw "$tarball"

echo "== a fresh project using the tarball"
project="$scratch/project"
mkdir -p "$project"
cp test/scripts/module-systems/* "$project/"
cd "$project"
echo '{ "name": "consumer", "private": true }' > package.json
npm install --silent --no-audit --no-fund --no-package-lock "$tarball"
calls='{"cjsKind":"cjs","cjsSquare":9,"cjsSquareAio":16,"esmKind":"esm","esmSquare":25,"relativeSquare":36,"cjsCallIdSet":true,"esmCallIdSet":true,"timeoutIsLibraryClass":true}'
declare -A expected=(
  [caller.cjs]="$calls"
  [caller.mjs]="$calls"
  [one-copy.mjs]='{"sameIndex":true,"sameWorker":true,"crossInstanceof":true,"addedExitListeners":1}'
)
for script in caller.cjs caller.mjs one-copy.mjs; do
  echo "-- node $script"
  output="$(node "$script")"
  echo "$output"
  if [ "$output" != "${expected[$script]}" ]; then
    echo "expected: ${expected[$script]}" >&2
    exit 1
  fi
done
cat > types.cts <<'TS'
import { Synchronizer, TimeoutError } from "synchronicity-js";
import { currentSignal } from "synchronicity-js/worker";
const api = new Synchronizer().wrapModule<{ square(x: number): Promise<number> }>(require.resolve("./impl.cjs"));
const n: number = api.square(2);
export const checks = [n, TimeoutError, currentSignal] as const;
TS
cat > types.mts <<'TS'
import { Synchronizer, TimeoutError } from "synchronicity-js";
import { currentSignal } from "synchronicity-js/worker";
const api = new Synchronizer().wrapModule<{ square(x: number): Promise<number> }>(new URL("./impl.mjs", import.meta.url));
const n: number = await api.square.aio(2);
export const checks = [n, TimeoutError, currentSignal] as const;
TS
echo "-- tsc (module nodenext, .cts and .mts)"
"$repo/node_modules/.bin/tsc" --noEmit --strict --module nodenext --moduleResolution nodenext --target es2022 --types node --typeRoots "$repo/node_modules/@types" types.cts types.mts
echo "package checks passed"
