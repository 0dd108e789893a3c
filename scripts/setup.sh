# Shared setup of ./saliency and ./test.sh: sourced, not run.
# Installs what is missing (Debian packages when root, otherwise a message naming them), builds in
# Release when any source is newer than the last build, and marks the build.

SALIENCY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SALIENCY_BIN="$SALIENCY_ROOT/client/bin/Release/net10.0/linux-x64"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# A gen0 budget of 64 MiB, unless one is set. A work item at 224 x 224 makes tens of MiB of maps that die with it; under
# the default budget (derived from the L3 cache) the collector ran 52 gen1 and 22 gen2 collections a second through a
# noop sweep, promoting maps still in use, and with 64 MiB it ran 17 gen1 and none of gen2. Over 50,000 JPEGs the peak
# RSS was 703-717 MiB instead of 780-791, in 27 s instead of 35 (docs/photographs.md). The runtime reads this knob only
# from the environment.
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x4000000}"

saliency_say() { printf '\033[1msaliency:\033[0m %s\n' "$*" >&2; }

# saliency_require_packages PACKAGE... : installs the Debian packages that are not installed yet.
saliency_require_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    saliency_say "missing Debian packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}"
    return 1
  fi
  saliency_say "installing ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

saliency_require_dotnet() {
  command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks 2>/dev/null | grep -q '^10\.' && return 0
  saliency_say "the .NET 10 SDK is needed (dotnet on PATH): see https://learn.microsoft.com/dotnet/core/install/linux-debian"
  return 1
}

# saliency_build TARGET STAMP [MSBUILD_ARG...] : builds TARGET (a project or the solution) in Release unless STAMP is newer
# than every source; extra arguments go to dotnet build (-p:SaliencyTorch=cuda for the CUDA build).
saliency_build() {
  local target="$1" stamp="$2"
  shift 2
  if [ -f "$stamp" ] && [ -z "$(find "$SALIENCY_ROOT" \( -path '*/bin' -o -path '*/obj' -o -path '*/bin-cuda' -o -path '*/obj-cuda' -o -path '*/.git' -o -path '*/runs' \) -prune -o \
        -newer "$stamp" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.safetensors' -o -name '*.json' -o -name '*.pt' -o -name '*.yaml' \) -print -quit)" ]; then
    return 0
  fi
  saliency_say "building $(basename "$target") (Release${*:+ $*})"
  local log="$SALIENCY_ROOT/obj.build.log"
  if ! dotnet build "$target" -c Release -nologo "$@" >"$log" 2>&1; then
    grep -E ": error " "$log" | sort -u >&2 || cat "$log" >&2
    saliency_say "build failed; the whole log is in $log"
    return 1
  fi
  # Warnings are shown, once each, so they are seen before they become errors.
  grep -E ": warning " "$log" | sed -E 's/ \[[^]]*\]$//' | sort -u >&2 || true
  touch "$stamp"
}

# saliency_require_web_assets : installs the web view's charting library (grains/Saliency.Web/package.json, pinned by its
# package-lock.json) from the npm registry into grains/Saliency.Web/node_modules, from where the build copies it, with its
# licences, into the build output. Pages load it from there: nothing is fetched at run time.
saliency_require_web_assets() {
  local web="$SALIENCY_ROOT/grains/Saliency.Web"
  [ -f "$web/node_modules/echarts/dist/echarts.min.js" ] && return 0
  command -v npm >/dev/null 2>&1 || saliency_require_packages npm || return 1
  saliency_say "installing the web view's charts (npm ci in grains/Saliency.Web)"
  (cd "$web" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
  # The build copies the files only when they are there: build again now that they are.
  rm -f "$SALIENCY_ROOT/tests/.saliency-built" "$SALIENCY_ROOT/client/obj/.saliency-built"
}
