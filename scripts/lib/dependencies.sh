# shellcheck shell=bash
# npm dependencies and the client bundle (sourced, not run).

NPM_STAMP="$SARAPTA_ROOT/node_modules/.sarapta-package-lock.sha256"
CLIENT_STAMP="$SARAPTA_ROOT/client/dist/.sarapta-built"

# Runs `npm ci` when package-lock.json changed since the last install or
# node_modules is missing. $1 is the worker binary mediasoup's postinstall is
# told about, so that it skips its download (ensure_worker places the binary).
ensure_node_modules() {
  local worker_bin=$1
  local lock_hash
  lock_hash=$(sha256_of_files "$SARAPTA_ROOT/package-lock.json")

  if [ -d "$SARAPTA_ROOT/node_modules" ] && [ "$(cat "$NPM_STAMP" 2>/dev/null)" = "$lock_hash" ]; then
    say "node_modules matches package-lock.json"
    return 0
  fi

  say "npm ci"
  (cd "$SARAPTA_ROOT" && MEDIASOUP_WORKER_BIN="$worker_bin" npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$NPM_STAMP"
}

# Builds the browser client when its sources (or the lockfile) are newer than
# the last build. Skipped while the client has no Vite configuration yet.
ensure_client_build() {
  if [ ! -f "$SARAPTA_ROOT/client/vite.config.ts" ]; then
    say "no client/vite.config.ts: nothing to build"
    return 0
  fi

  if [ -f "$CLIENT_STAMP" ] && [ -z "$(find "$SARAPTA_ROOT/client" "$SARAPTA_ROOT/package-lock.json" \
    -path "$SARAPTA_ROOT/client/dist" -prune -o -type f -newer "$CLIENT_STAMP" -print -quit)" ]; then
    say "client/dist is up to date"
    return 0
  fi

  say "npm run build:client"
  (cd "$SARAPTA_ROOT" && npm run --silent build:client)
  touch "$CLIENT_STAMP"
}
