#!/usr/bin/env bash
# Sets up everything the tests need, builds the solution and runs the whole suite.
#   ./test.sh              every test: unit tests, then clusters of silos, real processes, Redis, Prometheus, a browser
#   ./test.sh --fast       the unit lane alone (tests with the trait Lane=Unit): no server, no process, under a minute
#   ./test.sh ARGS...      any other arguments go to dotnet test (--filter ...)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/setup.sh"
fast=false
if [ "${1:-}" = "--fast" ]; then
  fast=true
  shift
fi
saliency_require_dotnet
# Formatting first, so a change that breaks what .editorconfig states fails before any test runs: the layout (about
# 12 s on 2 cores), then the code-style rules it sets at warning (about 55 s; the build checks them too, but this names
# the fix).
if ! dotnet format whitespace "$SALIENCY_ROOT/Cluster.sln" --verify-no-changes; then
  saliency_say "the code's layout differs from .editorconfig: dotnet format whitespace Cluster.sln fixes it"
  exit 1
fi
if ! dotnet format style "$SALIENCY_ROOT/Cluster.sln" --verify-no-changes; then
  saliency_say "the code's style differs from .editorconfig: dotnet format style Cluster.sln fixes most of it"
  exit 1
fi
if $fast; then
  saliency_require_packages dataset-fashion-mnist fonts-dejavu-core
else
  saliency_require_packages dataset-fashion-mnist fonts-dejavu-core prometheus chromium chromium-driver redis-server
fi
saliency_require_web_assets
saliency_build "$SALIENCY_ROOT/Cluster.sln" "$SALIENCY_ROOT/tests/.saliency-built"
if $fast; then set -- --filter "Lane=Unit" "$@"; fi

results="$SALIENCY_ROOT/tests/results"
rm -rf "$results"
# Screenshots and other evidence the tests leave for a reader.
export SALIENCY_TEST_ARTIFACTS="$results/artifacts"
status=0
dotnet test "$SALIENCY_ROOT/Cluster.sln" -c Release --no-build --nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFilePrefix=tests" --results-directory "$results" "$@" || status=$?

# One closing line over every test assembly, in the plain form CI reads.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  skipped=$((skipped + $(value notExecuted)))
done
# The failures again, last, where a log's tail shows them.
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  awk '
    function unescape(s) {
      gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s)
      return s
    }
    /<UnitTestResult / && /outcome="Failed"/ {
      failing = 1; stackLines = 0
      name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
      print "FAILED " unescape(name)
    }
    failing && /<Message>/ { inMessage = 1; sub(/.*<Message>/, "") }
    failing && /<StackTrace>/ { inStack = 1; sub(/.*<StackTrace>/, "") }
    inMessage {
      ended = sub(/<\/Message>.*/, "")
      print "  " unescape($0)
      if (ended) inMessage = 0
      next
    }
    inStack {
      ended = sub(/<\/StackTrace>.*/, "")
      if (stackLines++ < 8) print "  " unescape($0)
      if (ended) inStack = 0
      next
    }
    /<\/UnitTestResult>/ { failing = 0 }
  ' "$trx"
done
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
