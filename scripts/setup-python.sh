#!/usr/bin/env bash
# Provisions the Pythons that the Dask and Python 3.14 tests and benchmarks need (issue 6), and
# skips what is there. Quiet when there is nothing to do; one line per thing it installs.
#
# 1. Debian's Dask, distributed and joblib for Debian's own /usr/bin/python3
#    (python3-distributed, python3-dask, python3-joblib). As root it runs apt-get (recommends
#    left out: numpy and pandas are not needed for a LocalCluster); otherwise it prints the
#    command to run and goes on.
# 2. CPython 3.14 from Debian forky (on amd64 Debian; elsewhere a note), without touching the
#    system's packages:
#      ${CONCURRENCY_LENS_CACHE:-$HOME/.cache/concurrency-lens}/python3.14/bin/python3.14
#    Forky's packages need a newer C library than bookworm's, so the interpreter's .deb files and
#    those of the libraries it loads (forky's libc6 included) are unpacked into python3.14/root,
#    and bin/python3.14 is a small wrapper that starts it with forky's own dynamic loader and
#    library path (given on the loader's command line, not in the environment, so that programs
#    it starts do not inherit them). The loader's --argv0 makes sys.executable the wrapper, so
#    multiprocessing's spawn and forkserver re-execute something that works, and python3.14/lib
#    (a link to root/usr/lib) is where the interpreter finds its standard library.
#    Every file is checked: the suite's InRelease against Debian's archive keyring, the package
#    index against InRelease's SHA256, each .deb against the index's SHA256.
#    Debian ships no free-threaded 3.14 (no python3.14t or -nogil package in forky, sid or
#    experimental), so only the default build (with the GIL) is provisioned.
#
#   bash scripts/setup-python.sh
# Safe to run as root with CI=true and no stdin, and from several shells at once (a lock).
# To fetch a newer 3.14 from forky, delete the python3.14 folder and run it again.
set -euo pipefail

CACHE="${CONCURRENCY_LENS_CACHE:-$HOME/.cache/concurrency-lens}"
MIRROR="${CONCURRENCY_LENS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=forky
ARCH=amd64
TRIPLET=x86_64-linux-gnu
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
DEBIAN_PYTHON=/usr/bin/python3
DASK_DEBS=(python3-distributed python3-dask python3-joblib)
DASK_PRESENT='import importlib.util, sys; sys.exit(any(importlib.util.find_spec(m) is None for m in ("dask", "distributed", "joblib")))'

PY_DIR="$CACHE/python3.14"
PY_WRAPPER="$PY_DIR/bin/python3.14"
PY_MARKER="$PY_DIR/.installed"
# The interpreter, its standard library, and the libraries that the interpreter and the standard
# library's extension modules link to (libdb, for dbm.berkeley, and ncurses and readline, for
# curses and the interactive prompt's line editing, are left out: no test or benchmark uses them).
PY_DEBS=(
  python3.14-minimal libpython3.14-minimal libpython3.14-stdlib
  libc6 libgcc-s1 zlib1g libexpat1 libssl3t64 libzstd1 libffi8 libbz2-1.0 liblzma5
  libsqlite3-0 libuuid1
)
# What the interpreter must import before it is put in place.
PY_CHECK='
import sys, asyncio, bz2, ctypes, decimal, hashlib, lzma, sqlite3, ssl, subprocess, uuid, zlib
import compression.zstd, pyexpat
from concurrent.futures import InterpreterPoolExecutor, ProcessPoolExecutor
assert sys.version_info[:2] == (3, 14), sys.version
hashlib.sha256(b"").hexdigest()
print(sys.version.split()[0])
'

export DEBIAN_FRONTEND=noninteractive

say() { echo "[python setup] $*"; }
fail() {
  echo "[python setup] error: $*" >&2
  exit 1
}

# --- 1. Debian's Dask -------------------------------------------------------------------------

debian_dask() {
  if [ ! -x "$DEBIAN_PYTHON" ]; then
    say "no $DEBIAN_PYTHON: the Debian Dask tests will be skipped (apt-get install python3 ${DASK_DEBS[*]})"
    return
  fi
  # Looked up, not imported: importing distributed takes a second.
  if "$DEBIAN_PYTHON" -c "$DASK_PRESENT" 2>/dev/null; then return; fi
  if [ "$(id -u)" -ne 0 ]; then
    say "$DEBIAN_PYTHON lacks dask, distributed or joblib; to install them run:"
    say "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${DASK_DEBS[*]}"
    return
  fi
  local log started=$SECONDS
  log=$(mktemp)
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${DASK_DEBS[@]}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    fail "apt-get could not install ${DASK_DEBS[*]} (its output is above)"
  fi
  rm -f "$log"
  "$DEBIAN_PYTHON" -c 'import dask, distributed, joblib' \
    || fail "${DASK_DEBS[*]} are installed but $DEBIAN_PYTHON cannot import them"
  say "installed ${DASK_DEBS[*]} for $DEBIAN_PYTHON in $((SECONDS - started)) s"
}

# --- 2. CPython 3.14 from forky ---------------------------------------------------------------

# fetch URL FILE: curl or wget when present, else Debian's Python (a fresh machine may lack both).
fetch() {
  if command -v curl >/dev/null; then
    curl -fsS --retry 3 --connect-timeout 20 -o "$2" "$1"
  elif command -v wget >/dev/null; then
    wget -q --tries=3 --timeout=20 -O "$2" "$1"
  else
    "$DEBIAN_PYTHON" -c 'import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=60) as r, open(sys.argv[2], "wb") as f:
    shutil.copyfileobj(r, f)' "$1" "$2"
  fi || fail "could not download $1"
}

# sha256_is FILE HASH
sha256_is() {
  [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

# The interpreter that is there works (a run is cheaper than trusting the folder).
python314_present() {
  [ -f "$PY_MARKER" ] && [ -x "$PY_WRAPPER" ] && "$PY_WRAPPER" -I -c "$PY_CHECK" >/dev/null 2>&1
}

# The suite's signed InRelease, its signature checked: at least one good signature by a key of
# Debian's archive keyring, and no bad one (a signature by a key newer than the keyring is not an
# error, as in apt).
verified_release() {
  local work=$1 status
  [ -f "$KEYRING" ] || fail "no $KEYRING to check Debian's signatures with (apt-get install debian-archive-keyring)"
  command -v gpgv >/dev/null || fail "no gpgv to check Debian's signatures with (apt-get install gpgv)"
  fetch "$MIRROR/dists/$SUITE/InRelease" "$work/InRelease"
  status=$(gpgv --status-fd 1 --keyring "$KEYRING" --output "$work/Release" "$work/InRelease" 2>/dev/null || true)
  if ! grep -q '^\[GNUPG:\] VALIDSIG ' <<<"$status" || grep -q '^\[GNUPG:\] BADSIG ' <<<"$status"; then
    fail "the signature of $MIRROR/dists/$SUITE/InRelease does not check out against $KEYRING"
  fi
}

# Prints "package version filename sha256" for each of PY_DEBS, from the suite's verified index.
resolve_debs() {
  local work=$1 index=main/binary-$ARCH/Packages.gz hash
  hash=$(awk -v f="$index" '/^SHA256:/ { in256 = 1; next } /^[^ ]/ { in256 = 0 } in256 && $3 == f { print $1 }' "$work/Release")
  [ -n "$hash" ] || fail "$SUITE's Release lists no SHA256 for $index"
  fetch "$MIRROR/dists/$SUITE/$index" "$work/Packages.gz"
  sha256_is "$work/Packages.gz" "$hash" || fail "$MIRROR/dists/$SUITE/$index does not match the SHA256 in its Release"
  gzip -dc "$work/Packages.gz" | awk -v wanted="${PY_DEBS[*]}" '
    BEGIN { n = split(wanted, list, " "); for (i = 1; i <= n; i++) want[list[i]] = 1 }
    /^Package: / { name = $2 }
    /^Version: / { version = $2 }
    /^Filename: / { file = $2 }
    /^SHA256: / { sha = $2 }
    /^$/ {
      if (name in want && !(name in seen)) { seen[name] = 1; print name, version, file, sha }
      name = version = file = sha = ""
    }
    END { if (name in want && !(name in seen)) print name, version, file, sha }'
}

provision_python314() {
  local started=$SECONDS work resolved name version file sha count=0 py_version=""
  mkdir -p "$CACHE"
  work=$(mktemp -d "$CACHE/.python3.14.XXXXXX")
  # shellcheck disable=SC2064 # the folder's name is known now
  trap "rm -rf '$work'" EXIT

  verified_release "$work"
  resolved=$(resolve_debs "$work")
  mkdir -p "$work/debs" "$work/dist/root" "$work/dist/bin"
  while read -r name version file sha; do
    [ -n "$sha" ] || continue
    fetch "$MIRROR/$file" "$work/debs/$name.deb"
    sha256_is "$work/debs/$name.deb" "$sha" || fail "$MIRROR/$file does not match the SHA256 in $SUITE's index"
    dpkg-deb -x "$work/debs/$name.deb" "$work/dist/root" || fail "could not unpack $file"
    if [ "$name" = python3.14-minimal ]; then py_version=$version; fi
    count=$((count + 1))
  done <<<"$resolved"
  if [ "$count" -ne "${#PY_DEBS[@]}" ]; then
    fail "$SUITE's index lacks some of: ${PY_DEBS[*]} (found: $(cut -d' ' -f1 <<<"$resolved" | tr '\n' ' '))"
  fi
  # The interpreter and its standard library come from one source version.
  if [ "$(awk '$1 ~ /python3\.14/ { print $2 }' <<<"$resolved" | sort -u | wc -l)" -ne 1 ]; then
    fail "$SUITE's index holds mismatched python3.14 packages: $(awk '$1 ~ /python3\.14/ { printf "%s %s; ", $1, $2 }' <<<"$resolved")"
  fi
  rm -rf "$work/dist/root/usr/share/doc" "$work/dist/root/usr/share/man" "$work/dist/root/usr/share/lintian"

  local loader="usr/lib64/ld-linux-x86-64.so.2"
  [ -e "$work/dist/root/$loader" ] || fail "forky's libc6 has no $loader"
  cat >"$work/dist/bin/python3.14" <<EOF
#!/bin/sh
# CPython $py_version from Debian $SUITE, run with $SUITE's own C library (written by
# scripts/setup-python.sh of Concurrency Lens). --argv0 makes sys.executable this wrapper.
root=\$(readlink -f -- "\$0")
root=\${root%/bin/*}/root
exec "\$root/$loader" --library-path "\$root/usr/lib/$TRIPLET" --argv0 "\$0" "\$root/usr/bin/python3.14" "\$@"
EOF
  chmod 755 "$work/dist/bin/python3.14"
  ln -s root/usr/lib "$work/dist/lib"
  local check
  check=$("$work/dist/bin/python3.14" -I -B -c "$PY_CHECK" 2>&1) \
    || fail "the unpacked CPython $py_version does not start or lacks a module: $check"
  printf '%s\n' "$resolved" >"$work/dist/.installed"

  rm -rf "$PY_DIR"
  mv "$work/dist" "$PY_DIR"
  # Once more where it stays, this time writing the checked modules' bytecode: later runs of the
  # check (every run of this script) and of the tests start faster.
  "$PY_WRAPPER" -I -c "$PY_CHECK" >/dev/null || fail "CPython $py_version does not start from $PY_DIR"
  say "CPython $check from Debian $SUITE ready in $((SECONDS - started)) s: $PY_WRAPPER ($(du -sh "$PY_DIR" | cut -f1))"
}

python314() {
  if python314_present; then return; fi
  # Elsewhere the 3.14 tests are skipped (outside CI), so this is a note, not an error.
  if [ "$(dpkg --print-architecture 2>/dev/null || true)" != "$ARCH" ]; then
    say "CPython 3.14 is provisioned on $ARCH Debian only; this is $(dpkg --print-architecture 2>/dev/null || uname -sm): skipped"
    return
  fi
  mkdir -p "$CACHE"
  # One provisioning at a time: another shell may be at it; when it is done there is nothing to do.
  exec 9>"$CACHE/.python3.14.lock"
  flock -w 600 9 || fail "another setup-python.sh holds $CACHE/.python3.14.lock"
  if ! python314_present; then provision_python314; fi
  exec 9>&-
}

debian_dask
python314
