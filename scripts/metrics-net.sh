#!/usr/bin/env bash
# Refactoring net: runs every shipped run config (configs/, shortened, fixed seed) plus variants that reach
# every follower behaviour, estimator option and evaluation mode, and records each run's metrics.csv and
# final_*.txt. Run it before a restructuring and after, then compare: any difference is a bug until it is
# explained as an intended fix.
#
#   scripts/metrics-net.sh record DIR [JOBS [REGEX]]  run every case (or those whose name matches REGEX) into DIR,
#                                                  JOBS parallel runs (default 2)
#   scripts/metrics-net.sh record-resumed DIR [JOBS [REGEX]]  the same cases, each stopped half-way
#                                                  (--stop-after, which writes a checkpoint) and resumed from its
#                                                  checkpoint; compare with a plain recording: every file must match
#   scripts/metrics-net.sh compare DIR_A DIR_B [REGEX] byte-compare two recordings; exit 1 on any difference
#   scripts/metrics-net.sh list                  print the cases (name and arguments)
#
# The runs use the jar that ./bilevel builds (or BILEVEL_JAR). summary.json is not compared (it names
# the run's directory); config.yaml is compared, so a moved default shows up.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cases() {
  local f name
  # Every shipped run config, shortened.
  for f in $(find configs -name '*.yaml' -not -path 'configs/sweeps/*' | sort); do
    name="$(echo "${f#configs/}" | sed 's|\.yaml$||; s|/|_|g')"
    case "$f" in
      configs/four-rooms/*) echo "$name|--config $f iterations=200" ;;
      configs/discrete-toy/*) echo "$name|--config $f iterations=25" ;;
      configs/lqr-game/*) echo "$name|--config $f iterations=20" ;;
      configs/thermal/random-search.yaml) echo "$name|--config $f draws=40" ;;
      configs/thermal/paper-*) echo "$name|--config $f iterations=2 critic.initial_steps=30 critic.steps=20" ;;
      configs/thermal/*) echo "$name|--config $f iterations=6" ;;
    esac
  done
  # FourRooms: methods without a shipped config, followers, critics, incentive cells, initial decision.
  echo "fr_zero-order|four-rooms --method zero-order iterations=100"
  echo "fr_exact|four-rooms --method exact iterations=100"
  for b in reference-schedule reset-q carry-q; do
    for m in bchg hpgd-mc naive; do
      echo "fr_${b}_${m}|four-rooms --method $m follower.behaviour=$b iterations=60 follower.rounds=2"
    done
  done
  echo "fr_exact-critic_bchg|four-rooms --method bchg critic=exact iterations=100"
  echo "fr_exact-critic_hpgd-sarsa|four-rooms --method hpgd-sarsa critic=exact iterations=100"
  echo "fr_corridors_bchg|four-rooms --method bchg coordinates=corridors iterations=200 --samples 400"
  echo "fr_corridors_hpgd-oracle|four-rooms --method hpgd-oracle coordinates=corridors iterations=50 oracle_samples=2000"
  echo "fr_corridors_bchg-sr|four-rooms --method bchg-sr coordinates=corridors iterations=200 sr_from=50"
  echo "fr_soft-q-learning_bchg|four-rooms --method bchg follower.behaviour=soft-q-learning follower.warmup_steps=500 diagnostics.accuracy=true iterations=100"
  echo "fr_soft-q-learning_hpgd-mc|four-rooms --method hpgd-mc --samples 1000 follower.behaviour=soft-q-learning follower.exploration=0.3 iterations=40"
  echo "fr_soft-q-learning-replay_bchg|four-rooms --method bchg follower.behaviour=soft-q-learning follower.updates_per_step=4 follower.replay_capacity=500 follower.exploration_final=0.01 follower.exploration_steps=5000 iterations=60"
  echo "fr_soft-actor-critic_bchg|four-rooms --method bchg follower.behaviour=soft-actor-critic follower.warmup_steps=500 diagnostics.accuracy=true iterations=100"
  echo "fr_soft-actor-critic-auto_naive|four-rooms --method naive follower.behaviour=soft-actor-critic follower.temperature=auto follower.updates_per_step=4 iterations=60"
  echo "fr_observed_bchg|four-rooms --method bchg follower.access=observed leader.lambda_scale=0.5 iterations=100"
  echo "fr_observed_fitted-lambda_bchg|four-rooms --method bchg follower.access=observed leader.lambda=fitted leader.lambda_scale=2 iterations=100"
  echo "fr_observed_carry-q_hpgd-sarsa|four-rooms --method hpgd-sarsa follower.behaviour=carry-q follower.access=observed iterations=100"
  echo "fr_accuracy_reset-q_naive|four-rooms --method naive follower.behaviour=reset-q follower.rounds=1 diagnostics.accuracy=true iterations=100"
  # DiscreteToy4: followers, operators, critic targets, exact objectives, options of the response term.
  for b in exact reset-q carry-q; do
    for m in bchg naive biac; do
      echo "dt_${b}_${m}|discrete-toy --method $m follower.behaviour=$b iterations=15 follower.stop_sweeps=3"
    done
  done
  echo "dt_soft-q-learning_bchg|discrete-toy --method bchg follower.behaviour=soft-q-learning follower.updates_per_step=4 follower.warmup_episodes=2 iterations=15"
  echo "dt_sequential|discrete-toy --method bchg follower.operator=sequential iterations=15"
  echo "dt_R2_exact-objective|discrete-toy --variant R2 --method bchg evaluation.objective=exact-undiscounted iterations=15"
  echo "dt_options|discrete-toy --method bchg leader.critic_target=expectation leader.follower_samples=0 leader.influence_advantage=false leader.influence_weighted_average=true leader.influence_from_next_step=true leader.direct_advantage=false leader.max_grad_norm=0.5 leader.discount_sampling=false evaluation.objective=exact-discounted iterations=15"
  echo "dt_explore|discrete-toy --method naive --off-policy explore_steps=900 replay.reference_subsequence_edge=false evaluation.interval=2 iterations=15"
  # LQR game: options of the critic, the direct and the response term, exact objectives (the reference's
  # estimators named: the job's defaults are the model critic's, which lq_default runs).
  echo "lq_default|lqr-game --method bchg iterations=14"
  echo "lq_default-naive|lqr-game --method naive iterations=14"
  echo "lq_options|lqr-game --method bchg leader.direct=score leader.benefit=critic leader.influence=score leader.policy_lr=0.1 leader.critic_steps=5 leader.critic_target=samples leader.influence_advantage=true leader.influence_weighted_average=true leader.influence_from_next_step=true evaluation.objective=exact-discounted iterations=14 leader.follower_samples=16 leader.leader_samples=4"
  echo "lq_naive-clip|lqr-game --method naive leader.direct=score leader.benefit=critic leader.influence=score leader.policy_lr=0.1 leader.critic_steps=5 leader.clip_naive=true leader.direct_advantage=false leader.discount_sampling=false evaluation.objective=exact-undiscounted evaluation.interval=3 iterations=14"
  echo "lq_pathwise_score|lqr-game --method bchg leader.direct=pathwise leader.benefit=critic leader.influence=score leader.policy_lr=0.1 leader.critic_steps=5 iterations=14"
  echo "lq_value-lstd|lqr-game --method bchg leader.direct=score leader.benefit=critic leader.influence=value-lstd leader.policy_lr=0.1 leader.critic_steps=5 iterations=14"
  echo "lq_model-benefit|lqr-game --method bchg leader.direct=pathwise leader.benefit=model leader.influence=value-lstd leader.covariance_pairs=0 leader.policy_lr=0.1 leader.critic_steps=5 iterations=14"
  echo "lq_relative-tol|lqr-game --method naive leader.direct=score leader.benefit=critic leader.influence=score leader.policy_lr=0.1 leader.critic_steps=5 follower.relative_tolerance=true explore_steps=-1 replay.reference_subsequence_edge=false iterations=14"
  # Thermal: every estimator option not in a shipped config.
  for m in bchg naive hpgd-mc hpgd-td; do
    echo "th_quadratic_${m}|thermal --method $m critic.kind=quadratic iterations=4"
    echo "th_options_${m}|thermal --method $m estimator.direct=mirrored critic.subsample_from=20 critic.value_sampling=iid critic.v_normalisation=per-batch iterations=4 train_episodes=20"
  done
  echo "th_centred|thermal --method bchg estimator.sensitivity=centred iterations=4"
  echo "th_model-mlp|thermal --method bchg estimator.sensitivity=model iterations=4"
  echo "th_cold|thermal --method hpgd-td follower.warm_start=false critic.warm_start=false critic.steps=15 critic.batch_size=0 iterations=3 train_episodes=20"
  echo "th_random-search_exact|thermal-random-search evaluation=exact draws=40"
  # Guided tasks: the soft actor-critic follower under each wind (short: a small net, few random steps).
  for t in cartpole-v1 pendulum; do
    for m in zero-wind random-wind; do
      echo "gd_${t}_${m}|guided task=$t method=$m iterations=4 episodes_per_iteration=2 eval_episodes=1 follower.width=16 follower.batch_size=32 follower.random_steps=100"
    done
  done
}

jar() {
  if [[ -z "${BILEVEL_JAR:-}" ]]; then
    ./bilevel --version >/dev/null
    BILEVEL_JAR="$root/bilevel-cli/target/bilevel.jar"
  fi
  echo "$BILEVEL_JAR"
}

run_case() { # DIR JAR NAME ARGS...
  local dir="$1" jar="$2" name="$3"
  shift 3
  local out="$dir/$name"
  rm -rf "$out" "$out.partial"
  # shellcheck disable=SC2068
  if BILEVEL_PROGRESS=off java -Djava.awt.headless=true -jar "$jar" run $@ --seed 3 --out "$out" \
      >"$dir/$name.log" 2>&1; then
    :
  else
    echo "exit $?" >>"$dir/$name.log"
  fi
  rm -f "$out/summary.json" "$out"/*.png "$out"/*.svg
}
export -f run_case

run_case_resumed() { # DIR JAR NAME ARGS...: stop half-way with a checkpoint, then resume from it
  local dir="$1" jar="$2" name="$3"
  shift 3
  local out="$dir/$name" total half status
  total="$(echo "$*" | grep -oE '(iterations|draws)=[0-9]+' | tail -1 | cut -d= -f2)"
  half=$(( ${total:-2} / 2 ))
  rm -rf "$out" "$out.partial"
  # shellcheck disable=SC2068
  BILEVEL_PROGRESS=off java -Djava.awt.headless=true -jar "$jar" run $@ --seed 3 --out "$out" \
      --stop-after "$half" --checkpoint-every 3600 >"$dir/$name.log" 2>&1 && status=0 || status=$?
  if [[ $status == 130 && ! -f "$out/checkpoint.bin" ]]; then
    echo "no checkpoint after a stop" >>"$dir/$name.log"
  fi
  if [[ $status == 130 ]]; then
    BILEVEL_PROGRESS=off java -Djava.awt.headless=true -jar "$jar" run --resume "$out" >>"$dir/$name.log" 2>&1 \
        && status=0 || status=$?
  fi
  [[ $status == 0 ]] || echo "exit $status" >>"$dir/$name.log"
  rm -f "$out/summary.json" "$out"/*.png "$out"/*.svg
}
export -f run_case_resumed

case "${1:-}" in
  list) cases ;;
  record|record-resumed)
    runner=run_case
    [[ $1 == record-resumed ]] && runner=run_case_resumed
    dir="${2:?$1 DIR}"
    jobs="${3:-2}"
    only="${4:-.}"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    j="$(jar)"
    start=$(date +%s)
    cases | grep -E "^($only)[^|]*\|" | while IFS='|' read -r name args; do printf '%s\0%s\0' "$name" "$args"; done |
      xargs -0 -n 2 -P "$jobs" bash -c "$runner"' "$0" "$1" "$2" $3' "$dir" "$j"
    echo "recorded $(cases | grep -cE "^($only)[^|]*\|") cases in $dir in $(( $(date +%s) - start )) s"
    ;;
  compare)
    a="${2:?compare A B}"
    b="${3:?compare A B}"
    only="${4:-.}"
    status=0
    while IFS='|' read -r name _; do
      if ! diff -rq "$a/$name" "$b/$name" >/dev/null 2>&1; then
        echo "DIFFERS: $name"
        diff -rq "$a/$name" "$b/$name" 2>&1 | head -5 | sed 's/^/  /' || true
        status=1
      fi
      if [[ -f "$a/$name.log" ]] && grep -q '^exit' "$a/$name.log"; then
        echo "note: $name failed in $a: $(grep -v '^exit' "$a/$name.log" | tail -1)"
      fi
    done < <(cases | grep -E "^($only)[^|]*\|")
    [[ $status == 0 ]] && echo "identical: $(cases | grep -cE "^($only)[^|]*\|") cases"
    exit $status
    ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac
