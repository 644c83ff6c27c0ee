#!/usr/bin/env bash
# Installs what this clone needs to run and test on Debian 12, skipping every
# step that is already done: a second run takes seconds. Run as root (or with
# sudo available for apt-get). Caches live in $SARAPTA_CACHE_DIR (default
# ~/.cache/sarapta), outside the clone.
set -euo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/debian.sh
source "$SARAPTA_ROOT/scripts/lib/debian.sh"
# shellcheck source=lib/node.sh
source "$SARAPTA_ROOT/scripts/lib/node.sh"
# shellcheck source=lib/mediasoup-worker.sh
source "$SARAPTA_ROOT/scripts/lib/mediasoup-worker.sh"
# shellcheck source=lib/dependencies.sh
source "$SARAPTA_ROOT/scripts/lib/dependencies.sh"

# Two setups at once (start.sh and test.sh in two terminals, or two clones)
# would run apt and the worker build over each other; the second waits.
mkdir -p "$SARAPTA_CACHE_DIR"
exec 9>"$SARAPTA_CACHE_DIR/setup.lock"
if ! flock --nonblock 9; then
  say "another setup is running; waiting for it to finish"
  flock 9
fi

step "1/5 Debian packages"
ensure_debian_packages "${RUNTIME_PACKAGES[@]}"

step "2/5 Node.js >= $NODE_MIN_MAJOR"
ensure_node

# npm ci needs the worker's path before the worker exists: mediasoup's
# postinstall only checks that the variable is set, and then skips its
# download; the binary itself is placed in step 4.
step "3/5 npm dependencies"
ensure_node_modules "$(worker_cache_path)"

step "4/5 mediasoup worker $(mediasoup_version)"
ensure_worker

step "5/5 browser client"
ensure_client_build

step "setup done"
