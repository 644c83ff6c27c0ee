# shellcheck shell=bash
# Shared helpers for the setup, start and test scripts (sourced, not run).
# Sets SARAPTA_ROOT (the clone) and SARAPTA_CACHE_DIR (kept outside the clone,
# so a fresh clone reuses Node, the mediasoup worker and the meson venv).

# shellcheck disable=SC2034 # used by the scripts that source this file
SARAPTA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# CI runners do not always set HOME; the password database knows it.
export HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
SARAPTA_CACHE_DIR="${SARAPTA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sarapta}"
export SARAPTA_CACHE_DIR

SETUP_STARTED_AT=$(date +%s)

# Prints a numbered step with the seconds since setup began.
step() {
  echo "==> [$(($(date +%s) - SETUP_STARTED_AT))s] $*"
}

# Prints a detail line under the current step.
say() {
  echo "    $*"
}

# Stops the script with a message on stderr.
die() {
  echo "error: $*" >&2
  exit 1
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "root is needed for: $* (run as root or install sudo)"
  fi
}

# Prints the sha256 (hex) of the concatenation of the given files.
sha256_of_files() {
  cat "$@" | sha256sum | cut -d' ' -f1
}
