#!/usr/bin/env bash
# Proves a mediasoup-worker binary with mediasoup's own test suite (shipped in
# the npm package under node/lib/test; 185 tests for 3.19.22). Everything the
# suite needs (jest 29, werift-sctp, pick-port, a DTLS certificate) goes into
# a temporary folder, never into the project's dependencies.
#
# Usage: scripts/verify-mediasoup-worker.sh [WORKER_BINARY]
#   default: node_modules/mediasoup/worker/out/Release/mediasoup-worker
set -euo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/node.sh
source "$SARAPTA_ROOT/scripts/lib/node.sh"
# shellcheck source=lib/mediasoup-worker.sh
source "$SARAPTA_ROOT/scripts/lib/mediasoup-worker.sh"

activate_node
worker_bin="$(readlink -f "${1:-$WORKER_IN_NODE_MODULES}")"
[ -x "$worker_bin" ] || die "no executable worker at $worker_bin"
version=$(mediasoup_version)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/sarapta-verify-worker-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"

step "installing mediasoup $version and its test tools into $scratch"
npm init -y >/dev/null
# The worker variable keeps mediasoup's postinstall from downloading or building one.
MEDIASOUP_WORKER_BIN="$worker_bin" npm install --no-audit --no-fund --loglevel=error \
  "mediasoup@$version" jest@29 werift-sctp@0.0.11 pick-port@2

step "generating the DTLS certificate the suite expects"
test_dir="$scratch/node_modules/mediasoup/node/lib/test"
mkdir -p "$test_dir/data"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=mediasoup-test \
  -keyout "$test_dir/data/dtls-key.pem" -out "$test_dir/data/dtls-cert.pem" 2>/dev/null

cat >jest.config.js <<'JEST'
const path = require('node:path');
module.exports = {
  rootDir: path.join(__dirname, 'node_modules/mediasoup/node/lib/test'),
  testMatch: ['**/test-*.js'],
  // jest ignores node_modules by default, and the suite lives inside it.
  testPathIgnorePatterns: [],
  haste: { retainAllFiles: true },
  testEnvironment: 'node',
};
JEST

step "running mediasoup's test suite against $worker_bin"
MEDIASOUP_WORKER_BIN="$worker_bin" npx jest --config jest.config.js --runInBand
