# shellcheck shell=bash
# Debian packages: installs only what is missing, with one apt-get update per
# run, and only when something must be installed (sourced, not run).

# What the service and its tests need at run time (coturn: the TURN relay of
# the strict-network browser test; its service is not enabled).
# shellcheck disable=SC2034 # used by the scripts that source this file
RUNTIME_PACKAGES=(
  ffmpeg fonts-dejavu-core chromium firefox-esr xvfb radosgw ceph-mon ceph-osd uuid-runtime
  iproute2 util-linux curl openssl coturn
)

# What building mediasoup-worker from source needs (only when no binary is cached).
# shellcheck disable=SC2034 # used by the scripts that source this file
WORKER_BUILD_PACKAGES=(
  build-essential pkg-config python3-venv ninja-build libssl-dev libuv1-dev libusrsctp-dev
  libabsl-dev libflatbuffers-dev flatbuffers-compiler libsrtp2-dev
)

APT_UPDATED=0

# Prints the packages among the arguments that are not installed.
missing_debian_packages() {
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      echo "$package"
    fi
  done
}

# Installs the packages among the arguments that are missing.
ensure_debian_packages() {
  local missing
  mapfile -t missing < <(missing_debian_packages "$@")
  if [ "${#missing[@]}" -eq 0 ]; then
    say "all present: $*"
    return 0
  fi

  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  say "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
