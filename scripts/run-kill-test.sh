#!/usr/bin/env bash
# Interrupt-and-resume test of bilevel run: each case runs once uninterrupted; then, ROUNDS times for each signal
# (SIGINT, which the run honours at the end of its iteration, and kill -9, which leaves DIR.partial), it is started
# again with a checkpoint every second, interrupted at a random moment, and continued with `bilevel run --resume`
# (from its last checkpoint, the rows after it reproduced and checked) until it completes. Every resumed
# metrics.csv (and config.yaml and final_*.txt) must equal the uninterrupted run's byte for byte.
#
#   scripts/run-kill-test.sh [ROUNDS] [WORK]       e.g. scripts/run-kill-test.sh 2 runs/run-kill-test
set -euo pipefail
set -m # background jobs keep SIGINT (a non-interactive shell would have them ignore it); run the script itself in the
       # foreground: a shell started in the background ignores SIGINT for good, and so would every java it starts
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-2}"
work="${2:-runs/run-kill-test}"
cd "$root"
# shellcheck source=scripts/jar.sh
source "$root/scripts/jar.sh"
export BILEVEL_PROGRESS=off
rm -rf "$work"
mkdir -p "$work"

cases=("four-rooms|four-rooms iterations=60000"
       "lqr-game|lqr-game iterations=600"
       "thermal|thermal iterations=100")
failures=0
for c in "${cases[@]}"; do
  name="${c%%|*}"
  read -r -a args <<<"${c#*|}"
  bilevel run "${args[@]}" --out "$work/$name-warm-up" >/dev/null 2>&1 # the timing below is of a warm page cache
  start=$(date +%s.%N)
  bilevel run "${args[@]}" --out "$work/$name-uninterrupted" >/dev/null 2>&1
  reference=$(echo "$(date +%s.%N) - $start" | bc)
  printf '%-10s uninterrupted in %.1fs\n' "$name" "$reference"
  for signal in INT KILL; do
    for ((k = 1; k <= rounds; k++)); do
      dir="$work/$name-$signal-$k"
      delay=$(awk -v r="$RANDOM" -v t="$reference" 'BEGIN { srand(r); printf "%.2f", 0.6 + rand() * (0.8 * t - 0.6) }')
      # java itself in the background (not a shell function, whose subshell would take the signal)
      java -Djava.awt.headless=true -jar "$BILEVEL_JAR" run "${args[@]}" --out "$dir" --checkpoint-every 1 \
          >/dev/null 2>&1 &
      pid=$!
      sleep "$delay"
      kill -s "$signal" "$pid" 2>/dev/null || true
      status=0
      wait "$pid" 2>/dev/null || status=$?
      where="$dir"
      [[ -d "$dir.partial" ]] && where="$dir.partial"
      rows=$(($(wc -l <"$where/metrics.csv") - 1))
      state=$(grep -o '"status" : "[a-z]*"' "$where/summary.json" 2>/dev/null | cut -d'"' -f4 || true)
      checkpoint=no
      [[ -f "$where/checkpoint.bin" ]] && checkpoint=yes
      resumes=0
      resume_start=$(date +%s.%N)
      while [[ ! -f "$dir/summary.json" ]] || ! grep -q '"status" : "completed"' "$dir/summary.json"; do
        bilevel run --resume "$dir" >/dev/null 2>&1 || true
        resumes=$((resumes + 1))
        ((resumes <= 3)) || break
      done
      resume_time=$(echo "$(date +%s.%N) - $resume_start" | bc)
      same=yes
      for f in "$work/$name-uninterrupted"/config.yaml "$work/$name-uninterrupted"/metrics.csv \
          "$work/$name-uninterrupted"/final_*.txt; do
        cmp -s "$f" "$dir/$(basename "$f")" || same=no
      done
      [[ "$same" == yes ]] || failures=$((failures + 1))
      printf '%-10s SIG%-4s after %5.2fs: exit %3d, %s, %6d rows kept, %s, checkpoint %s; resumed in %5.1fs: %s\n' \
        "$name" "$signal" "$delay" "$status" "$( [[ "$where" == *.partial ]] && echo "left .partial" || echo "placed")" \
        "$rows" "status ${state:-none}" "$checkpoint" "$resume_time" \
        "$( [[ "$same" == yes ]] && echo identical || echo DIFFERENT)"
    done
  done
done
if ((failures > 0)); then
  echo "FAILED: $failures resumed runs differ from the uninterrupted ones"
  exit 1
fi
echo "every resumed run is byte-identical to its uninterrupted run"
