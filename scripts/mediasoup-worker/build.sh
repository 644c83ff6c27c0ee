#!/usr/bin/env bash
# Builds mediasoup-worker offline from the worker sources that ship in the
# mediasoup npm package, against Debian 12's system libraries.
#
# mediasoup's own postinstall would download a prebuilt binary from GitHub, or
# build with meson subprojects that are also fetched from GitHub; neither is
# reachable on an offline machine. The patches in ./patches make meson use the
# system libraries instead (see scripts/mediasoup-worker/README.md).
#
# Usage: build.sh WORKER_SOURCES WORKDIR OUTPUT_BINARY
#   WORKER_SOURCES  node_modules/mediasoup/worker (left untouched)
#   WORKDIR         scratch folder; a meson venv inside it is reused by later builds
#   OUTPUT_BINARY   where the finished binary is placed (atomically)
# Env: JOBS (ninja parallelism, default: number of cores)
# Needs: the Debian build dependencies installed by scripts/setup.sh, and a pip
# index that offers meson >= 1.1 (Debian 12 ships 1.0, too old for the worker).
set -euo pipefail

RECIPE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SOURCES="${1:?usage: build.sh WORKER_SOURCES WORKDIR OUTPUT_BINARY}"
WORKDIR="${2:?usage: build.sh WORKER_SOURCES WORKDIR OUTPUT_BINARY}"
OUTPUT="${3:?usage: build.sh WORKER_SOURCES WORKDIR OUTPUT_BINARY}"
JOBS="${JOBS:-$(nproc)}"
MESON_VERSION=1.12.1

started=$(date +%s)
mkdir -p "$WORKDIR"

# meson lives in a private venv so the system Python stays untouched; ninja
# comes from Debian. --retries 0 makes an unreachable extra index fail fast.
if [ ! -x "$WORKDIR/venv/bin/meson" ]; then
  echo "build: creating a venv with meson $MESON_VERSION"
  python3 -m venv "$WORKDIR/venv"
  "$WORKDIR/venv/bin/pip" install -q --retries 0 --timeout 5 "meson==$MESON_VERSION"
fi
export PATH="$WORKDIR/venv/bin:$PATH"

# Patch a copy: node_modules must stay as npm installed it.
rm -rf "$WORKDIR/worker" "$WORKDIR/build"
cp -a "$SOURCES" "$WORKDIR/worker"
for patch_file in "$RECIPE_DIR"/patches/*.patch; do
  echo "build: applying $(basename "$patch_file")"
  # The diffs name orig/worker/... and src/worker/...: -p2 strips both prefixes.
  patch -d "$WORKDIR/worker" -p2 --forward --quiet <"$patch_file"
done

# nodownload: meson must fail rather than fetch a wrap. liburing is disabled
# because a recent kernel would otherwise make meson pull it as a subproject.
meson setup --wrap-mode=nodownload --buildtype release -Db_ndebug=true \
  -Dms_disable_liburing=true "$WORKDIR/build" "$WORKDIR/worker"

# The flatbuffers headers are generated first, as mediasoup's own tasks do.
meson compile -C "$WORKDIR/build" flatbuffers-generator
ninja -C "$WORKDIR/build" -j"$JOBS" mediasoup-worker

mkdir -p "$(dirname "$OUTPUT")"
cp "$WORKDIR/build/mediasoup-worker" "$OUTPUT.partial"
mv -f "$OUTPUT.partial" "$OUTPUT"
echo "build: $OUTPUT ($(stat -c %s "$OUTPUT") bytes) in $(($(date +%s) - started)) s"
