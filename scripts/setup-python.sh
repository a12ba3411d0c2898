#!/usr/bin/env bash
# Provisions the Pythons that the Dask, Python 3.14 and free-threaded tests and benchmarks need
# (issue 6), and skips what is there. Quiet when there is nothing to do; one line per thing it
# installs.
#
# 1. Debian's Dask, distributed and joblib for Debian's own /usr/bin/python3
#    (python3-distributed, python3-dask, python3-joblib), and isort and pycodestyle
#    (python3-isort, python3-pycodestyle: the fixes' output is checked with them). As root it
#    runs apt-get (recommends left out: numpy and pandas are not needed for a LocalCluster);
#    otherwise it prints the command to run and goes on.
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
#    experimental), hence 3.
# 3. A free-threaded CPython (--disable-gil), built from the source of Debian forky's python3.13
#    (its .orig.tar.xz, the upstream release; Debian's patches are not applied):
#      ${CONCURRENCY_LENS_CACHE:-$HOME/.cache/concurrency-lens}/python3.13t/bin/python3.13t
#    3.13 because the mirror lacks forky's python3.14 source tarball (the variable
#    CONCURRENCY_LENS_FREE_THREADED_MINOR=3.14 builds python3.14t/bin/python3.14t where it has it).
#    The chain of checks is the same: InRelease's signature, the source index (Sources.xz) against
#    InRelease's SHA256, the tarball against the index's SHA256. Built with the host's gcc and
#    bookworm's -dev packages (as root they are installed with apt when missing; otherwise the
#    command to run is printed), without PGO (it runs the test suite to profile) or LTO: 4 to 7
#    minutes on two shared cores; and without the test suite or ensurepip. It is built and installed in a temporary
#    folder and moved in place once it starts, has no GIL and imports what the tests use.
#
#   bash scripts/setup-python.sh
# Safe to run as root with CI=true and no stdin, and from several shells at once (a lock).
# To fetch a newer 3.14 from forky, delete the python3.14 (or python3.13t) folder and run it again.
set -euo pipefail

CACHE="${CONCURRENCY_LENS_CACHE:-$HOME/.cache/concurrency-lens}"
MIRROR="${CONCURRENCY_LENS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=forky
ARCH=amd64
TRIPLET=x86_64-linux-gnu
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
DEBIAN_PYTHON=/usr/bin/python3
DASK_DEBS=(python3-distributed python3-dask python3-joblib python3-isort python3-pycodestyle)
DASK_PRESENT='import importlib.util, sys; sys.exit(any(importlib.util.find_spec(m) is None for m in ("dask", "distributed", "joblib", "isort", "pycodestyle")))'

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

# The free-threaded build's minor version: forky's python3.14 source tarball is not on the mirror
# this project's machines and CI reach (its .orig.tar.xz answers 404, the .debs are there), and
# python3.13's is.
FT_MINOR="${CONCURRENCY_LENS_FREE_THREADED_MINOR:-3.13}"
FT_SOURCE="python$FT_MINOR"
FT_DIR="$CACHE/python${FT_MINOR}t"
FT_PYTHON="$FT_DIR/bin/python${FT_MINOR}t"
FT_MARKER="$FT_DIR/.installed"
# What the build needs from bookworm, for the modules the project uses: ssl and hashlib (OpenSSL),
# zlib, ctypes (libffi), bz2, lzma, sqlite3 and uuid. Without libzstd-dev (bookworm's is older than
# 3.14 accepts) there is no compression.zstd (3.14), which nothing here uses.
FT_BUILD_DEBS=(build-essential pkg-config libssl-dev zlib1g-dev libffi-dev libbz2-dev liblzma-dev libsqlite3-dev uuid-dev)
FT_CHECK='
import sys, sysconfig, asyncio, bz2, ctypes, decimal, hashlib, lzma, sqlite3, ssl, subprocess, uuid, zlib
import pyexpat
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
assert "%d.%d" % sys.version_info[:2] == sys.argv[1], sys.version
assert sysconfig.get_config_var("Py_GIL_DISABLED") == 1, "not a free-threaded build"
assert not sys._is_gil_enabled(), "the GIL is enabled"
hashlib.sha256(b"").hexdigest()
print(sys.version.split()[0])
'

export DEBIAN_FRONTEND=noninteractive

say() { echo "[python setup] $*"; }
fail() {
  echo "[python setup] error: $*" >&2
  exit 1
}

# The temporary folders made so far, removed however the script ends.
TEMP_DIRS=()
trap 'rm -rf "${TEMP_DIRS[@]}"' EXIT

# apt_install WHAT PACKAGE...: as root installs the packages (without recommends), quiet unless
# apt-get fails; otherwise prints the command to run, says what is missing for, and is false.
apt_install() {
  local what=$1 log
  shift
  if [ "$(id -u)" -ne 0 ]; then
    say "$what needs $*; to install them run:"
    say "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $*"
    return 1
  fi
  log=$(mktemp)
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "$@"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    fail "apt-get could not install $* (its output is above)"
  fi
  rm -f "$log"
}

# on_debian_amd64 WHAT: true on amd64 Debian; elsewhere says WHAT is skipped (the tests that need
# it are skipped too outside CI, so this is a note, not an error).
on_debian_amd64() {
  [ "$(dpkg --print-architecture 2>/dev/null || true)" = "$ARCH" ] && return 0
  say "$1 is provisioned on $ARCH Debian only; this is $(dpkg --print-architecture 2>/dev/null || uname -sm): skipped"
  return 1
}

# provision_once NAME WAIT PRESENT PROVISION: runs PROVISION unless PRESENT holds, one shell at a
# time (the lock $CACHE/.NAME.lock, waited for up to WAIT seconds): another shell may be at it,
# and when it is done there is nothing left to do.
provision_once() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.$1.lock"
  flock -w "$2" 9 || fail "another setup-python.sh holds $CACHE/.$1.lock"
  if ! "$3"; then "$4"; fi
  exec 9>&-
}

# --- 1. Debian's Dask -------------------------------------------------------------------------

debian_dask() {
  if [ ! -x "$DEBIAN_PYTHON" ]; then
    say "no $DEBIAN_PYTHON: the Debian Dask tests will be skipped (apt-get install python3 ${DASK_DEBS[*]})"
    return
  fi
  # Looked up, not imported: importing distributed takes a second.
  if "$DEBIAN_PYTHON" -c "$DASK_PRESENT" 2>/dev/null; then return; fi
  local started=$SECONDS
  apt_install "$DEBIAN_PYTHON (which lacks dask, distributed, joblib, isort or pycodestyle)" "${DASK_DEBS[@]}" || return 0
  "$DEBIAN_PYTHON" -c 'import dask, distributed, joblib, isort, pycodestyle' \
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

# verified_index WORK INDEX FILE: the suite's INDEX (a path under dists/SUITE), checked against the
# SHA256 that the verified Release gives it, saved as FILE.
verified_index() {
  local work=$1 index=$2 file=$3 hash
  hash=$(awk -v f="$index" '/^SHA256:/ { in256 = 1; next } /^[^ ]/ { in256 = 0 } in256 && $3 == f { print $1 }' "$work/Release")
  [ -n "$hash" ] || fail "$SUITE's Release lists no SHA256 for $index"
  fetch "$MIRROR/dists/$SUITE/$index" "$file"
  sha256_is "$file" "$hash" || fail "$MIRROR/dists/$SUITE/$index does not match the SHA256 in its Release"
}

# Prints "package version filename sha256" for each of PY_DEBS, from the suite's verified index.
resolve_debs() {
  local work=$1
  verified_index "$work" "main/binary-$ARCH/Packages.gz" "$work/Packages.gz"
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
  TEMP_DIRS+=("$work")

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
  on_debian_amd64 "CPython 3.14" || return 0
  provision_once python3.14 600 python314_present provision_python314
}

# --- 3. A free-threaded CPython, built from forky's source ------------------------------------

# The free-threaded interpreter that is there works and has no GIL.
free_threaded_present() {
  [ -f "$FT_MARKER" ] && [ -x "$FT_PYTHON" ] && env -u PYTHON_GIL "$FT_PYTHON" -I -c "$FT_CHECK" "$FT_MINOR" >/dev/null 2>&1
}

# Prints "version path sha256" of the source's .orig.tar.xz, from the suite's verified source index.
resolve_source() {
  local work=$1
  verified_index "$work" main/source/Sources.xz "$work/Sources.xz"
  xz -dc "$work/Sources.xz" | awk -v wanted="$FT_SOURCE" '
    /^Package: / { name = $2 }
    /^Version: / { version = $2 }
    /^Directory: / { dir = $2 }
    /^Checksums-Sha256:/ { in256 = 1; next }
    /^[^ ]/ { in256 = 0 }
    in256 && $3 ~ /\.orig\.tar\.xz$/ { sha = $1; file = $3 }
    /^$/ {
      if (name == wanted && file != "" && !found) { found = 1; print version, dir "/" file, sha }
      name = version = dir = sha = file = ""
    }'
}

# The build's -dev packages: true when they are all there; installs the missing ones as root,
# otherwise says what to run and is false.
build_packages() {
  local missing=() name
  for name in "${FT_BUILD_DEBS[@]}"; do
    dpkg -s "$name" >/dev/null 2>&1 || missing+=("$name")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  apt_install "building the free-threaded CPython $FT_MINOR" "${missing[@]}" || return 1
  say "installed ${missing[*]} to build the free-threaded CPython $FT_MINOR"
}

# run_logged LOG WHAT COMMAND...: runs the command with its output in LOG; on failure shows the
# log's end and fails naming WHAT.
run_logged() {
  local log=$1 what=$2
  shift 2
  if ! "$@" >>"$log" 2>&1; then
    tail -n 40 "$log" >&2
    fail "$what failed (the end of its output is above)"
  fi
}

build_free_threaded() {
  local started=$SECONDS work resolved version file sha src build staged check
  mkdir -p "$CACHE"
  work=$(mktemp -d "$CACHE/.python${FT_MINOR}t.XXXXXX")
  TEMP_DIRS+=("$work")

  verified_release "$work"
  resolved=$(resolve_source "$work")
  read -r version file sha <<<"$resolved"
  [ -n "${sha:-}" ] || fail "$SUITE's source index has no .orig.tar.xz for $FT_SOURCE"
  fetch "$MIRROR/$file" "$work/source.tar.xz"
  sha256_is "$work/source.tar.xz" "$sha" || fail "$MIRROR/$file does not match the SHA256 in $SUITE's source index"
  mkdir -p "$work/src"
  tar -xJf "$work/source.tar.xz" -C "$work/src" --strip-components=1 || fail "could not unpack $file"
  rm -f "$work/source.tar.xz"

  # Configured for where it stays and installed under a staging root (DESTDIR), so that nothing is
  # in place until it has passed its check; CPython finds its standard library from its own path.
  src="$work/src"
  build="$work/build.log"
  staged="$work/stage$FT_DIR"
  (
    cd "$src" || exit 1
    run_logged "$build" "configure" ./configure --prefix="$FT_DIR" --disable-gil --without-ensurepip \
      --disable-test-modules
    run_logged "$build" "make" make -j2
    run_logged "$build" "make install" make install DESTDIR="$work/stage"
  ) || exit 1
  [ -x "$staged/bin/python${FT_MINOR}t" ] || fail "the build installed no bin/python${FT_MINOR}t"
  check=$(env -u PYTHON_GIL "$staged/bin/python${FT_MINOR}t" -I -B -c "$FT_CHECK" "$FT_MINOR" 2>&1) \
    || fail "the free-threaded CPython $version does not start, has the GIL or lacks a module: $check"
  printf '%s %s %s\n' "$version" "$file" "$sha" >"$staged/.installed"

  rm -rf "$FT_DIR"
  mv "$staged" "$FT_DIR"
  env -u PYTHON_GIL "$FT_PYTHON" -I -c "$FT_CHECK" "$FT_MINOR" >/dev/null || fail "the free-threaded CPython $version does not start from $FT_DIR"
  say "free-threaded CPython $check built from Debian $SUITE's $FT_SOURCE $version in $((SECONDS - started)) s: $FT_PYTHON ($(du -sh "$FT_DIR" | cut -f1))"
}

free_threaded_python() {
  if free_threaded_present; then return; fi
  on_debian_amd64 "the free-threaded CPython $FT_MINOR" || return 0
  build_packages || return 0
  # A build takes minutes: another shell's may still be running.
  provision_once "python${FT_MINOR}t" 1800 free_threaded_present build_free_threaded
}

debian_dask
python314
free_threaded_python
