#!/usr/bin/env bash
# Installs FerretDB v1.24.2, the MongoDB-wire server the store contract tests
# run the mongodb adapter against, into <repo>/.tools/bin/ferretdb.
#
# Built from the module source rather than with `go install …@v1.24.2`: the
# module proxy refuses that version-list lookup here, and the module zip lacks
# build/version/version.txt, without which the binary panics at start. The
# build is cached per user, so only the first run takes minutes.
set -euo pipefail

version=v1.24.2
module=github.com/FerretDB/FerretDB
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target="$repo_root/.tools/bin/ferretdb"
cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/lockstep/ferretdb-$version"
cached="$cache_dir/ferretdb"

say() { echo "install-ferretdb: $*"; }

# Reads the whole output before matching: with pipefail, `grep -q` closing the pipe early would fail the check.
has_version() {
  local reported
  [ -x "$1" ] && reported=$("$1" --version 2>/dev/null) && grep -qx "version: $version" <<<"$reported"
}

if has_version "$target"; then
  say "FerretDB $version is already at $target"
  exit 0
fi

if has_version "$cached"; then
  say "using the cached build at $cached"
else
  command -v go >/dev/null || { say "Go is needed to build FerretDB; install Go 1.21 or later"; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT

  say "downloading the $module@$version module source"
  # GOTOOLCHAIN=local: building must not try to fetch another Go toolchain.
  download_json=$(cd "$work" && GOTOOLCHAIN=local go mod download -json "$module@$version")
  source_dir=$(printf '%s\n' "$download_json" | sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')
  [ -n "$source_dir" ] && [ -d "$source_dir" ] || { say "go mod download gave no source directory:"; printf '%s\n' "$download_json"; exit 1; }

  # The module cache is read-only, and the build needs the version file the module zip leaves out.
  cp -R "$source_dir" "$work/src"
  chmod -R u+w "$work/src"
  printf '%s\n' "$version" > "$work/src/build/version/version.txt"

  say "building FerretDB $version (a few minutes the first time)"
  mkdir -p "$cache_dir"
  (cd "$work/src" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -o "$work/ferretdb" ./cmd/ferretdb)
  mv "$work/ferretdb" "$cached"
  say "cached the build at $cached"
fi

mkdir -p "$(dirname "$target")"
cp "$cached" "$target"
chmod +x "$target"

if ! has_version "$target"; then
  say "the installed binary does not report version $version:"
  "$target" --version || true
  exit 1
fi
say "installed FerretDB $version at $target"
