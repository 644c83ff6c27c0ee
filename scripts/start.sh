#!/usr/bin/env bash
# Installs what is missing, then runs the service in the foreground. Without
# SARAPTA_S3_ENDPOINT the service starts its embedded S3 (Ceph RGW) under the
# data directory.
set -euo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/node.sh
source "$SARAPTA_ROOT/scripts/lib/node.sh"

"$SARAPTA_ROOT/scripts/setup.sh"

activate_node
cd "$SARAPTA_ROOT"
exec node server/main.ts
