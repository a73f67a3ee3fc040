#!/usr/bin/env bash
# Resume test of bilevel sweep: runs a sweep once uninterrupted, and once killed with kill -9 at random
# moments (twice by default) and restarted until it finishes; then checks that both hold the same trials
# and that every trial's files (config.yaml, metrics.csv, summary.json, final_*.txt) are byte-for-byte
# equal. trial.json (the completion marker, with the trial's wall time) is left out of the comparison.
#
#   scripts/sweep-kill-test.sh [SPEC] [THREADS] [KILLS] [WORK]
#   e.g. scripts/sweep-kill-test.sh docs/examples/sweep-four-rooms.yaml 2 2 runs/sweep-kill-test
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spec="${1:-docs/examples/sweep-four-rooms.yaml}"
threads="${2:-2}"
kills="${3:-2}"
work="${4:-runs/sweep-kill-test}"
cd "$root"
# shellcheck source=scripts/jar.sh
source "$root/scripts/jar.sh"
export BILEVEL_PROGRESS=off
rm -rf "$work"
mkdir -p "$work"

start=$(date +%s.%N)
bilevel sweep "$spec" --out "$work/uninterrupted" --threads "$threads" >/dev/null
reference=$(echo "$(date +%s.%N) - $start" | bc)
echo "uninterrupted: $(ls "$work/uninterrupted/trials" | wc -l) trials in ${reference}s"

for ((k = 1; k <= kills; k++)); do
  # A random moment between JVM start-up and the end of an uninterrupted run.
  delay=$(awk -v r="$RANDOM" -v t="$reference" 'BEGIN { srand(r); printf "%.2f", 0.5 + rand() * (0.9 * t - 0.5) }')
  java -Djava.awt.headless=true -jar "$BILEVEL_JAR" sweep "$spec" --out "$work/killed" --threads "$threads" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  done_trials=$(find "$work/killed/trials" -name trial.json 2>/dev/null | wc -l)
  staged=$(ls -A "$work/killed/.staging" 2>/dev/null | wc -l)
  echo "kill -9 #$k after ${delay}s: $done_trials trials complete, $staged entries left in .staging"
done
bilevel sweep "$spec" --out "$work/killed" --threads "$threads"

a=$(ls "$work/uninterrupted/trials" | wc -l)
b=$(ls "$work/killed/trials" | wc -l)
markers=$(grep -l '"status" : "completed"' "$work"/killed/trials/*/trial.json | wc -l)
echo "trials: uninterrupted $a, killed and resumed $b ($markers completed markers)"
if [[ "$a" != "$b" ]] || [[ "$b" != "$markers" ]]; then
  echo "FAIL: trial counts differ" >&2
  exit 1
fi
if diff -r -x trial.json "$work/uninterrupted/trials" "$work/killed/trials" >/dev/null; then
  echo "PASS: $b trials, every file byte-for-byte equal (trial.json markers aside)"
else
  echo "FAIL: files differ:" >&2
  diff -r -q -x trial.json "$work/uninterrupted/trials" "$work/killed/trials" >&2 || true
  exit 1
fi
