#!/usr/bin/env bash
# Runs a project command on the project's Node.js (Node 24 from the cache when
# the machine's own is older), e.g. the operator commands:
#   ./scripts/node.sh scripts/create-review.ts --help
# Run ./scripts/setup.sh (or start.sh) once before.
set -euo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/node.sh
source "$SARAPTA_ROOT/scripts/lib/node.sh"

activate_node
[ "$(node_major)" -ge "$NODE_MIN_MAJOR" ] || die "no Node.js >= $NODE_MIN_MAJOR: run ./scripts/setup.sh first"
exec node "$@"
