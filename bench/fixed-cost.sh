#!/usr/bin/env bash
# What a command costs before it exports anything: each step below adds one thing to the one before,
# on a one-row PostgreSQL table, median of N (default 5) runs of each, in turn.
#   bench/fixed-cost.sh [N]      (needs bench/run.sh's tables: run it once with KEEP=1)
#   1 java -version                    the JVM alone (the JDK's default class data sharing archive)
#   2 spillway --version               + the launcher, Spillway's archive, picocli
#   3 spillway plan                    + logging, config, the JDBC driver, a connection, catalogue reads, the plan
#   4 spillway task                    + the store, the stored plan, export, commit, publish of one unit
#   5 spillway run --tasks 1           + the local executor: a plan, step 4 on a thread of the same JVM, the summary
#   bare task                          not a step: bench/BareTask.java, what any task costs with Spillway's
#                                      libraries (picocli, logback, the driver, Jackson) and nothing else
#   psql \copy                         the anchor
# Prints the median wall and CPU (user + sys) seconds of each, and each step's difference from the one before.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-5}"
work="${BENCH_DIR:-/tmp/spillway-run-bench}/fixed"
PGHOST="${PGHOST:-127.0.0.1}"; PGPORT="${PGPORT:-5432}"; PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER
db="${DB:-spillway_bench}"
src="postgresql://$PGUSER@$PGHOST:$PGPORT/$db?schema=bench_one"
sw="$here/spillway"
mkdir -p "$work"
steps=(java_version spillway_version plan task run bare psql)
# the bare task runs with the launcher's flags (compiler thresholds, collector, heap, huge pages) and an archive of its own
flags="$(sed -n '/^jit=(/,/)$/p' "$here/spillway" | sed 's/^jit=//' | tr -d '()' | tr '\n' ' ') -XX:+UseSerialGC -Xms64m"
if [[ "$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)" == *"[madvise]"* ]]; then flags+=" -XX:+UseTransparentHugePages"; fi
# the bare task: compiled against the jars Spillway is built with, its own jar and class data archive, once
bare="$work/bare"
# (again when the jar was rebuilt: the libraries' versions in target/lib may have moved with it)
if [ ! -f "$bare/bare.jsa" ] || [ "$here/bench/BareTask.java" -nt "$bare/bare.jsa" ] \
   || [ "$here/target/spillway.jar" -nt "$bare/bare.jsa" ]; then
  rm -rf "$bare"; mkdir -p "$bare/classes"
  lib="$here/target/lib"
  cp=$(ls "$lib"/picocli-*.jar "$lib"/postgresql-*.jar "$lib"/logback-c*.jar "$lib"/slf4j-api-*.jar \
       "$lib"/jackson-core-*.jar "$lib"/jackson-databind-*.jar "$lib"/jackson-annotations-*.jar | tr '\n' ':')
  javac -d "$bare/classes" -cp "$cp" "$here/bench/BareTask.java"
  jar cf "$bare/bare.jar" -C "$bare/classes" .
  echo "$cp$bare/bare.jar" > "$bare/cp"
  java -XX:DumpLoadedClassList="$bare/classes.list" -cp "$(cat "$bare/cp")" BareTask \
    --source "jdbc:postgresql://$PGHOST:$PGPORT/$db?user=$PGUSER" --table bench_one.one_row --dest "$work/out" >/dev/null 2>&1
  java -Xshare:dump -XX:SharedClassListFile="$bare/classes.list" -XX:SharedArchiveFile="$bare/bare.jsa" \
    -cp "$(cat "$bare/cp")" >/dev/null 2>&1
fi
cmd_of() {
  case "$1" in
    java_version) echo "java -version" ;;
    spillway_version) echo "'$sw' --version" ;;
    plan) echo "'$sw' plan --source '$src' --tasks 1" ;;
    task) echo "'$sw' task --source '$src' --dest '$work/out' --tasks 1 --task-index 0 --execution fixed-\$RANDOM\$RANDOM" ;;
    run) echo "'$sw' run --source '$src' --dest '$work/out' --tasks 1" ;;
    bare) echo "java -XX:SharedArchiveFile='$bare/bare.jsa' -Xlog:disable $flags -cp '$(cat "$bare/cp")' BareTask --source 'jdbc:postgresql://$PGHOST:$PGPORT/$db?user=$PGUSER' --table bench_one.one_row --dest '$work/out'" ;;
    psql) echo "psql -X -d $db -c \"\\\\copy (SELECT * FROM bench_one.one_row) TO '$work/out/one.csv' csv header\"" ;;
  esac
}
: > "$work/times.tsv"
"$sw" --version >/dev/null
for i in $(seq 1 "$n"); do
  for s in "${steps[@]}"; do
    rm -rf "$work/out"; mkdir -p "$work/out"
    t0=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$work/time.out" bash -c "$(cmd_of "$s")" >"$work/$s.log" 2>&1
    t1=$(date +%s%N)
    read -r u sy < "$work/time.out"
    printf '%s\t%s\t%s\n' "$s" "$(( (t1 - t0) / 1000000 ))" "$(awk -v a="$u" -v b="$sy" 'BEGIN { print int((a + b) * 1000) }')" >> "$work/times.tsv"
  done
done
echo "step (median of $n)            wall ms  +wall    CPU ms  +CPU"
for s in "${steps[@]}"; do
  w=$(awk -v s="$s" '$1 == s { print $2 }' "$work/times.tsv" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }')
  c=$(awk -v s="$s" '$1 == s { print $3 }' "$work/times.tsv" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }')
  if [ "$s" = bare ] || [ "$s" = psql ]; then pw=0; pc=0; fi
  printf '%-28s %8d %+7d %8d %+6d\n' "$s" "$w" "$(( w - ${pw:-0} ))" "$c" "$(( c - ${pc:-0} ))"
  pw=$w; pc=$c
done
