#!/usr/bin/env bash
# Installs what is missing, then runs the whole vitest suite (extra arguments
# go to vitest) inside a network namespace that has only a loopback
# interface: browser WebRTC media and every test server stay on 127.0.0.1,
# and nothing a test starts can collide with ports in use on the host.
set -euo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/node.sh
source "$SARAPTA_ROOT/scripts/lib/node.sh"

"$SARAPTA_ROOT/scripts/setup.sh"

activate_node
cd "$SARAPTA_ROOT"
step "vitest (loopback-only network namespace)"
# Without root, a user namespace (-r) grants the right to create the network one.
namespace_flags=(-n)
[ "$(id -u)" -eq 0 ] || namespace_flags=(-r -n)
report="$SARAPTA_ROOT/test-artifacts/vitest-report.json"
mkdir -p "$(dirname "$report")"
rm -f "$report"

status=0
unshare "${namespace_flags[@]}" sh -c \
  'ip link set lo up && exec npx vitest run --reporter=default --reporter=json --outputFile.json="$0" "$@"' \
  "$report" "$@" || status=$?

# The totals as one plain closing line, whatever the reporters printed.
node scripts/print-test-summary.ts "$report" || status=1
exit "$status"
