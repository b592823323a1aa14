#!/usr/bin/env bash
# Where the start of a one-row export goes, from the JVM's own class-load log (-Xlog:class+load with
# uptime stamps: when each class was first needed) and the process clock; median of N runs (default 5).
#   bench/startup-phases.sh [N]      (needs bench/run.sh's tables: run it once with KEEP=1)
# For `spillway task` and for `spillway run --tasks 1` (the parent JVM, and its task JVM), each phase
# ends where the next one's first class is loaded:
#   jvm      JVM boot until the first class (includes mapping and verifying the CDS archive)
#   cli      picocli: the command model and the parse, until logging starts (first logback class)
#   setup    logging, Jackson, config and the store, until the JDBC driver's first class
#   connect  the driver, a connection and the catalogue reads, until the first format class (task) or
#            the first plan class (run's parent)
#   rest     the export, commit and publish (task), or the plan and the child task (run's parent),
#            until the process ended (its wall time from outside)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-5}"
work="${BENCH_DIR:-/tmp/spillway-run-bench}/phases"
src="postgresql://${PGUSER:-postgres}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}/spillway_bench?schema=bench_one"
mkdir -p "$work"
: > "$work/phases.tsv"
phases() { # LOG WALL_S LABEL END_CLASS_REGEX
  awk -v wall="$2" -v label="$3" -v endre="$4" '
    { t = $1; gsub(/[\[\]s]/, "", t); c = $2 }
    NR == 1 { jvm = t }
    !lg && c ~ /^ch\.qos\.logback/ { lg = t }
    !pg && c ~ /^org\.postgresql/ { pg = t }
    !fin && c ~ endre { fin = t }
    END { printf "%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", label, jvm, lg - jvm, pg - lg, fin - pg, wall - fin, wall }' "$1" >> "$work/phases.tsv"
}
for i in $(seq 1 "$n"); do
  rm -rf "$work/out"; rm -f "$work"/*.cl
  t0=$(date +%s%N)
  SPILLWAY_JAVA_OPTS="-Xlog:class+load=info:file=$work/task.cl:uptime" "$here/spillway" task --source "$src" \
    --dest "$work/out" --tasks 1 --task-index 0 --execution "phases-$i-$RANDOM" >/dev/null 2>&1
  t1=$(date +%s%N)
  phases "$work/task.cl" "$(( (t1 - t0) / 1000000 ))e-3" task '^io[.]spillway[.]format[.]'
  rm -rf "$work/out"
  t0=$(date +%s%N)
  SPILLWAY_JAVA_OPTS="-Xlog:class+load=info:file=$work/parent.cl:uptime" \
  SPILLWAY_TASK_JAVA_OPTS="-Xmx512m -XX:+UseSerialGC -Xlog:class+load=info:file=$work/child.cl:uptime" \
    "$here/spillway" run --source "$src" --dest "$work/out" --tasks 1 >/dev/null 2>&1
  t1=$(date +%s%N)
  phases "$work/parent.cl" "$(( (t1 - t0) / 1000000 ))e-3" run_parent '^io[.]spillway[.]plan[.]'
  # the child's own wall time is not known from outside: its last class load stands for its end (a run
  # of one task runs it in the planning JVM, as a thread: then there is no child)
  [ -f "$work/child.cl" ] && phases "$work/child.cl" "$(tail -1 "$work/child.cl" | awk '{ t = $1; gsub(/[\[\]s]/, "", t); print t }')" run_child '^io[.]spillway[.]format[.]'
done
printf '%-11s %7s %7s %7s %7s %7s %7s   (seconds, median of %d)\n' command jvm cli setup connect rest total "$n"
for l in task run_parent run_child; do
  grep -q "^$l"$'\t' "$work/phases.tsv" || continue
  printf '%-11s' "$l"
  for col in 2 3 4 5 6 7; do
    awk -F'\t' -v l="$l" -v c="$col" '$1 == l { print $c }' "$work/phases.tsv" | sort -g \
      | awk '{ v[NR] = $1 } END { printf " %7.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
  done
  echo
done
