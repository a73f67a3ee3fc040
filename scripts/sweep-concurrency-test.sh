#!/usr/bin/env bash
# Concurrency test of bilevel sweep: runs a sweep with one driver, then, in each of ROUNDS rounds, starts
# DRIVERS drivers of the same sweep on one fresh output directory at random moments within SPREAD (whole)
# seconds (the first at once). Checks that every driver exits with status 0 and no exception, that the drivers
# together ran every trial exactly once (the others waited for the lock and skipped what was finished),
# that .staging/ is empty, and that every trial's files are byte-for-byte those of the single driver
# (trial.json, which holds wall times and provenance, aside).
#
#   scripts/sweep-concurrency-test.sh [SPEC] [DRIVERS] [SPREAD] [ROUNDS] [THREADS] [WORK]
#   e.g. scripts/sweep-concurrency-test.sh "" 3 2 3 1 runs/sweep-concurrency-test
# Without SPEC (or with ""), a 24-trial FourRooms spec of 2,000 iterations is written into WORK.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spec="${1:-}"
drivers="${2:-3}"
spread="${3:-2}"
rounds="${4:-3}"
threads="${5:-1}"
work="${6:-runs/sweep-concurrency-test}"
cd "$root"
# shellcheck source=scripts/jar.sh
source "$root/scripts/jar.sh"
export BILEVEL_PROGRESS=plain
rm -rf "$work"
mkdir -p "$work"
if [[ -z "$spec" ]]; then
  spec="$work/spec.yaml"
  cat >"$spec" <<'EOF'
title: FourRooms, three methods, 2,000 iterations (concurrency test)
problem: four-rooms
method: [bchg, hpgd-mc, naive]
reg_lambda: 0.003
samples: [100, 400]
iterations: 2000
seeds: 4
EOF
fi

start=$(date +%s.%N)
bilevel sweep "$spec" --out "$work/single" --threads "$threads" >/dev/null 2>&1
single=$(echo "$(date +%s.%N) - $start" | bc)
total=$(ls "$work/single/trials" | wc -l)
echo "one driver: $total trials in ${single}s"

status=0
for ((r = 1; r <= rounds; r++)); do
  out="$work/round-$r"
  pids=()
  delays=()
  for ((d = 1; d <= drivers; d++)); do
    if ((d == 1)); then
      delay=0
    else
      centis=$((RANDOM % (spread * 100 + 1)))
      delay=$(printf "%d.%02d" $((centis / 100)) $((centis % 100)))
    fi
    delays+=("$delay")
    (sleep "$delay"; exec java -Djava.awt.headless=true -jar "$BILEVEL_JAR" sweep "$spec" --out "$out" \
      --threads "$threads" >"$work/round-$r.driver-$d.out" 2>"$work/round-$r.driver-$d.err") &
    pids+=($!)
  done
  ran=0
  codes=()
  waited=0
  for ((d = 1; d <= drivers; d++)); do
    code=0
    wait "${pids[$((d - 1))]}" || code=$?
    codes+=("$code")
    n=$(sed -n 's/^sweep: [0-9]* trials: \([0-9]*\) run now.*/\1/p' "$work/round-$r.driver-$d.out")
    ran=$((ran + ${n:-0}))
    if grep -q "waiting for the lock" "$work/round-$r.driver-$d.err"; then
      waited=$((waited + 1))
    fi
    if ((code != 0)) || grep -qE "Exception|failed:" "$work/round-$r.driver-$d.err"; then
      echo "FAIL: round $r, driver $d (started after ${delays[$((d - 1))]}s) exited with $code:" >&2
      cat "$work/round-$r.driver-$d.err" >&2
      status=1
    fi
  done
  markers=$(find "$out/trials" -name trial.json | wc -l)
  staged=$(ls -A "$out/.staging" | wc -l)
  same=identical
  diff -r -x trial.json "$work/single/trials" "$out/trials" >/dev/null || same=DIFFERENT
  echo "round $r: drivers started after ${delays[*]} s, exit ${codes[*]}; $waited waited for the lock;" \
    "$ran trial runs for $total trials; $markers markers, $staged entries in .staging; files $same"
  if ((ran != total)) || ((markers != total)) || ((staged != 0)) || [[ "$same" != identical ]]; then
    echo "FAIL: round $r" >&2
    status=1
  fi
done
if ((status == 0)); then
  echo "PASS: $rounds rounds of $drivers drivers: every trial ran exactly once, files byte-for-byte equal to one driver's"
fi
exit "$status"
