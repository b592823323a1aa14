#!/usr/bin/env bash
# What a command costs before it exports anything: each step below adds one thing to the one before,
# on a one-row PostgreSQL table, median of N (default 5) runs of each, in turn.
#   bench/fixed-cost.sh [N]      (needs bench/run.sh's tables: run it once with KEEP=1)
#   1 java -version                    the JVM alone (the JDK's default class data sharing archive)
#   2 spillway --version               + the launcher, Spillway's archive, picocli
#   3 spillway plan                    + logging, config, the JDBC driver, a connection, catalogue reads, the plan
#   4 spillway task                    + the store, the stored plan, export, commit, publish of one unit
#   5 spillway run --tasks 1           + the local executor: a plan, step 4 on a thread of the same JVM, the summary
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
steps=(java_version spillway_version plan task run psql)
cmd_of() {
  case "$1" in
    java_version) echo "java -version" ;;
    spillway_version) echo "'$sw' --version" ;;
    plan) echo "'$sw' plan --source '$src' --tasks 1" ;;
    task) echo "'$sw' task --source '$src' --dest '$work/out' --tasks 1 --task-index 0 --execution fixed-\$RANDOM\$RANDOM" ;;
    run) echo "'$sw' run --source '$src' --dest '$work/out' --tasks 1" ;;
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
  if [ "$s" = psql ]; then pw=0; pc=0; fi
  printf '%-28s %8d %+7d %8d %+6d\n' "$s" "$w" "$(( w - ${pw:-0} ))" "$c" "$(( c - ${pc:-0} ))"
  pw=$w; pc=$c
done
