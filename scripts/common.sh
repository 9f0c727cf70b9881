# Shared helpers for vroom's scripts (sourced, not run).
VROOM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NODE_PATH=/usr/share/nodejs  # Emscripten's optimizer imports acorn from here

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Configures (once) and builds one CMake preset.
build_preset() {
  local preset=$1; shift
  if [ ! -f "$VROOM_ROOT/build/$preset/CMakeCache.txt" ]; then
    say "configuring preset $preset"
    cmake --preset "$preset" -S "$VROOM_ROOT" >/dev/null
  fi
  say "building preset $preset"
  cmake --build --preset "$preset" "$@"
}
