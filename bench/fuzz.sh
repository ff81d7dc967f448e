#!/usr/bin/env bash
# Long fuzz runs of the pure parsers (issue 16): each target in tests/Protocol.Tests/Fuzz gets RUNS generated
# inputs (default 10,000,000) in chunks of GATEWAY_FUZZ_CHUNK (default 1,000,000). Every chunk is one
# `dotnet test --no-build` under the shared build lock (/tmp/gateway-build.lock), so others can build between
# chunks on a small machine. The same test methods run in CI with a few thousand inputs each.
#
# Per target it prints inputs run, time, inputs/s and failures, and it exits non-zero on any failure.
# Hangs: inside the test process a watchdog ends the run when one input takes longer than
# GATEWAY_FUZZ_HANG_SECONDS (default 60) and writes a HANG line naming that input; outside, each chunk also
# runs under `timeout GATEWAY_FUZZ_WATCHDOG` seconds (default 1800) as a last resort.
#
# Replay: every input is generated from (seed, index) alone. The seed is printed at the start (set
# GATEWAY_FUZZ_SEED to choose one); a failure names its input index. To replay input 123456 of LineFramer:
#   GATEWAY_FUZZ_SEED=<seed> GATEWAY_FUZZ_FROM=123456 GATEWAY_FUZZ_RUNS=1 \
#     dotnet test tests/Protocol.Tests --filter FullyQualifiedName~Gateway.Protocol.Tests.Fuzz.LineFramerFuzzTests
#
# To go on with a run that stopped (or extend one), give the same seed and GATEWAY_FUZZ_START=<first input>.
# Usage: bench/fuzz.sh [RUNS]        targets: GATEWAY_FUZZ_TARGETS="LineFramer DataReader ..." (default all)
# Targets joined with "+" (e.g. "LineFramer+DnRenderer") run in one test process, where xunit runs them side by
# side: two cores used for one hold of the lock. Their inputs/s are then each measured while sharing the machine.
set -uo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10000000}
chunk=${GATEWAY_FUZZ_CHUNK:-1000000}
seed=${GATEWAY_FUZZ_SEED:-$(date +%s)}
watchdog=${GATEWAY_FUZZ_WATCHDOG:-1800}
targets=${GATEWAY_FUZZ_TARGETS:-"CommandParser Xtext LineFramer DataReader ChunkReader ReplyAssembler HexQuoting DnRenderer AccessMap ProxyHeader"}
lock=/tmp/gateway-build.lock
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! flock "$lock" dotnet build tests/Protocol.Tests -v q --nologo > "$work/build.log" 2>&1; then
  cat "$work/build.log"
  exit 2
fi

filter() {
  local parts=() t
  IFS=+ read -ra names <<< "$1"
  for t in "${names[@]}"; do parts+=("FullyQualifiedName~Gateway.Protocol.Tests.Fuzz.${t}FuzzTests"); done
  (IFS='|'; echo "${parts[*]}")
}

echo "fuzz: $runs inputs per target, chunks of $chunk, seed $seed"
failed=0
for target in $targets; do
  report="$work/$target.tsv"
  : > "$report"
  from=${GATEWAY_FUZZ_START:-0}
  while (( from < runs )); do
    n=$(( runs - from < chunk ? runs - from : chunk ))
    GATEWAY_FUZZ_RUNS=$n GATEWAY_FUZZ_FROM=$from GATEWAY_FUZZ_SEED=$seed GATEWAY_FUZZ_REPORT=$report \
      flock "$lock" timeout --kill-after=30 "$watchdog" \
      dotnet test tests/Protocol.Tests --no-build --nologo \
        --filter "$(filter "$target")" > "$work/$target.log" 2>&1
    rc=$?
    if (( rc == 124 || rc == 137 )); then
      echo "HANG  $target: chunk $from..$((from + n - 1)) passed the ${watchdog}s watchdog"
      failed=1
      break
    elif grep -q '^HANG' "$report"; then
      grep '^HANG' "$report"
      failed=1
      break
    elif (( rc != 0 )); then
      echo "FAIL  $target: chunk $from..$((from + n - 1)); first failures:"
      grep -E '^input [0-9]+:' "$work/$target.log" | head -5
      mkdir -p bench/results && cp "$work/$target.log" "bench/results/fuzz-$target-$seed.log"
      echo "      full log: bench/results/fuzz-$target-$seed.log"
      failed=1
      break
    fi
    from=$(( from + n ))
  done
  # One line per test method: inputs, seconds, inputs/s, failures (summed over chunks).
  awk -F'\t' '$1 != "HANG" { runs[$1] += $2; ms[$1] += $3; fail[$1] += $4 }
    END { for (t in runs) printf "%-34s %12d inputs %9.1f s %10.0f inputs/s %6d failures\n",
      t, runs[t], ms[t] / 1000, (ms[t] > 0 ? runs[t] * 1000 / ms[t] : 0), fail[t] }' "$report" | sort
done

exit $failed
