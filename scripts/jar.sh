# Sourced by the test scripts: sets BILEVEL_JAR to the CLI jar (BILEVEL_JAR if set, else the one ./bilevel builds,
# building it if needed) and defines bilevel(), which runs it headless. Expects $root, the repository root.
if [[ -z "${BILEVEL_JAR:-}" ]]; then
  "$root/bilevel" --version >/dev/null
  BILEVEL_JAR="$root/bilevel-cli/target/bilevel.jar"
fi
bilevel() { java -Djava.awt.headless=true -jar "$BILEVEL_JAR" "$@"; }
