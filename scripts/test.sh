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
reports="$SARAPTA_ROOT/test-artifacts"
mkdir -p "$reports"
rm -f "$reports"/vitest-report*.json

# Runs vitest in a fresh loopback-only namespace. The first argument is the
# JSON report file, the second extra namespace set-up, the rest go to vitest.
run_vitest_isolated() {
  local report="$1" extra_setup="$2"
  shift 2
  # shellcheck disable=SC2016 # expanded by the inner shell, inside the namespace
  unshare "${namespace_flags[@]}" sh -c \
    'ip link set lo up && eval "$1" && shift && exec npx vitest run --reporter=default --reporter=json --outputFile.json="$0" "$@"' \
    "$report" "$extra_setup" "$@"
}

# Firefox gathers no ICE candidate without a default route, so its test runs
# in a namespace of its own with one that stays on loopback; everything else
# runs where there is no route at all. Arguments narrow the run as usual.
FIREFOX_TEST=test/browser/firefox.browser.test.ts
status=0
if [ "$#" -eq 0 ]; then
  run_vitest_isolated "$reports/vitest-report.json" true --exclude "$FIREFOX_TEST" || status=$?
  run_vitest_isolated "$reports/vitest-report-firefox.json" \
    'ip route add default dev lo src 127.0.0.1' --project browser "$FIREFOX_TEST" || status=$?
elif [ "$*" = "$FIREFOX_TEST" ]; then
  run_vitest_isolated "$reports/vitest-report.json" \
    'ip route add default dev lo src 127.0.0.1' --project browser "$FIREFOX_TEST" || status=$?
else
  run_vitest_isolated "$reports/vitest-report.json" true "$@" || status=$?
fi

# The totals as one plain closing line, whatever the reporters printed.
node scripts/print-test-summary.ts "$reports"/vitest-report*.json || status=1
exit "$status"
