# shellcheck shell=bash
# The mediasoup worker binary (sourced, not run).
#
# The binary is cached outside the clone, keyed by the mediasoup version and a
# hash of our build recipe, so a fresh clone never rebuilds it and a changed
# patch never reuses a stale binary:
#   $SARAPTA_CACHE_DIR/mediasoup-worker/<version>-<recipe hash>/mediasoup-worker
# Sources, in order: the cache; mediasoup's own prebuilt download (when its
# release host answers); an offline build with scripts/mediasoup-worker/.

WORKER_RECIPE_DIR="$SARAPTA_ROOT/scripts/mediasoup-worker"
WORKER_IN_NODE_MODULES="$SARAPTA_ROOT/node_modules/mediasoup/worker/out/Release/mediasoup-worker"
WORKER_RELEASE_HOST=https://github.com

# Prints the mediasoup version pinned in package-lock.json (node_modules may not exist yet).
mediasoup_version() {
  node -p "require('$SARAPTA_ROOT/package-lock.json').packages['node_modules/mediasoup'].version"
}

# Prints the first 12 hex of the sha256 over the patches and the build script.
worker_recipe_hash() {
  local files
  mapfile -t files < <(LC_ALL=C ls "$WORKER_RECIPE_DIR"/patches/*.patch)
  sha256_of_files "${files[@]}" "$WORKER_RECIPE_DIR/build.sh" | cut -c1-12
}

# Prints where the worker for this clone's mediasoup version and recipe is cached.
worker_cache_path() {
  echo "$SARAPTA_CACHE_DIR/mediasoup-worker/$(mediasoup_version)-$(worker_recipe_hash)/mediasoup-worker"
}

# Whether mediasoup's prebuilt download can work here (5 s probe).
worker_release_host_reachable() {
  curl -sS -o /dev/null --max-time 5 "$WORKER_RELEASE_HOST" 2>/dev/null
}

# Places a worker binary at $1 (the cache path) by download or offline build.
obtain_worker() {
  local cached=$1

  if worker_release_host_reachable; then
    say "downloading the prebuilt worker through mediasoup's postinstall"
    (cd "$SARAPTA_ROOT" && env -u MEDIASOUP_WORKER_BIN npm rebuild mediasoup --foreground-scripts)
    [ -x "$WORKER_IN_NODE_MODULES" ] || die "mediasoup's postinstall left no worker binary"
    mkdir -p "$(dirname "$cached")"
    cp "$WORKER_IN_NODE_MODULES" "$cached.partial"
    mv -f "$cached.partial" "$cached"
    return 0
  fi

  say "$WORKER_RELEASE_HOST unreachable: building the worker offline (7-12 min on 2 cores)"
  ensure_debian_packages "${WORKER_BUILD_PACKAGES[@]}"
  "$WORKER_RECIPE_DIR/build.sh" "$SARAPTA_ROOT/node_modules/mediasoup/worker" \
    "$SARAPTA_CACHE_DIR/mediasoup-worker/build" "$cached"
}

# Makes sure the cached worker exists and node_modules holds a copy of it, so
# mediasoup finds the binary at run time without MEDIASOUP_WORKER_BIN.
ensure_worker() {
  local cached
  cached=$(worker_cache_path)

  if [ -x "$cached" ]; then
    say "cached: $cached"
  else
    obtain_worker "$cached"
  fi

  if ! cmp -s "$cached" "$WORKER_IN_NODE_MODULES"; then
    say "copying into node_modules/mediasoup/worker/out/Release/"
    mkdir -p "$(dirname "$WORKER_IN_NODE_MODULES")"
    cp "$cached" "$WORKER_IN_NODE_MODULES.partial"
    mv -f "$WORKER_IN_NODE_MODULES.partial" "$WORKER_IN_NODE_MODULES"
  fi
}
