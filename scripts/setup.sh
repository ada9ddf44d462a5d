# shellcheck shell=bash
# Shared by scripts/run, scripts/test and scripts/package: install what is missing, then configure and build.
# Sourced, not executed. Idempotent and quick when everything is present.

WB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WB_BUILD="${WB_BUILD:-$WB_ROOT/build/release}"

# Debian packages the build, the tests and the benchmarks need (see README.md, "What gets installed").
WB_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  juce-modules-source juce-tools faust libfaust2
  catch2 libfmt-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev libfftw3-dev libsndfile1-dev
  libebur128-dev
  libasound2-dev libjack-jackd2-dev jackd2
  libflac-dev libvorbis-dev libogg-dev libfreetype-dev libfontconfig1-dev libcurl4-gnutls-dev
  xvfb xauth x11-utils imagemagick xdotool sox valgrind
  help2man dpkg-dev desktop-file-utils
  lv2-dev x42-plugins swh-lv2
  clang-14 libclang-rt-14-dev
)

wb_log() { printf '\033[1m[wavebench]\033[0m %s\n' "$*" >&2; }
wb_die() { printf '[wavebench] error: %s\n' "$*" >&2; exit 1; }

wb_install_deps() {
  local missing=() p
  for p in "${WB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  wb_log "installing missing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
      sudo=(sudo)
    else
      wb_die "these packages are missing and I am neither root nor allowed to sudo:
  ${missing[*]}
Install them as root:  apt-get install --no-install-recommends ${missing[*]}"
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq || wb_die "apt-get update failed"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || wb_die "apt-get install failed for: ${missing[*]}"
}

# wb_build PRESET [targets...]: configure (first time) and build incrementally.
wb_build() {
  local preset="$1"; shift
  local dir="$WB_ROOT/build/$preset"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    wb_log "configuring ($preset)"
    cmake --preset "$preset" -S "$WB_ROOT" >/dev/null || wb_die "cmake configure failed ($preset)"
  fi
  wb_log "building ($preset)"
  local t=()
  for x in "$@"; do t+=(--target "$x"); done
  cmake --build "$dir" "${t[@]}" -- ${WB_NINJA_FLAGS:-} || wb_die "build failed ($preset)"
}
