#!/usr/bin/env bash
# Planning at scale: many small tables on many tasks, as users type it. See docs/benchmarks.md.
#
#   bench/plan-scale.sh                   TABLES="20000 100000" TASKS=10000 N=3 SOURCES="sqlite duckdb"
#   TABLES=20000 N=1 bench/plan-scale.sh  a quick run
#
# For each source and table count it makes (once, kept in BENCH_DIR) a database of that many one-row
# tables (DuckDB: empty ones, as a row takes a 256 KiB block: 20,000 would be 10 GB), then N times, in turn:
#   plan    spillway plan --source S --tasks T               (prints the plan; writes nothing)
#   first   spillway task ... --task-index 0 --execution E   (plans, stores the plan, exports its units)
#   other   spillway task ... --task-index 42 --execution E  (reads the stored plan, exports its units)
# and prints the median wall seconds of each, the phases the planner logs (listing, cutting into
# units, assigning, storing), and the bytes of the plan that `other` read: the files under the
# execution's folder whose name holds "plan" that its process opened (strace), summed.
# SPILLWAY: the launcher to time (default this tree's). PostgreSQL (SOURCES=... pg): a schema of that many tables in database spillway_bench.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
counts="${TABLES:-20000 100000}"
tasks="${TASKS:-10000}"
n="${N:-3}"
sources="${SOURCES:-sqlite duckdb}"
work="${BENCH_DIR:-/tmp/spillway-plan-bench}"
PGHOST="${PGHOST:-127.0.0.1}"; PGPORT="${PGPORT:-5432}"; PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER
sw="${SPILLWAY:-$here/spillway}"  # another build, e.g. a copy of an earlier commit
mkdir -p "$work"
"$sw" --version >/dev/null

make_sqlite() { # file count
  [ -f "$1" ] && return
  echo "== making $2 SQLite tables in $1" >&2
  awk -v n="$2" 'BEGIN { print "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-2000000; BEGIN;";
    for (i = 0; i < n; i++) printf "CREATE TABLE t%06d (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t%06d VALUES (%d, %crow %d%c);\n", i, i, i, 39, i, 39;
    print "COMMIT;" }' | sqlite3 "$1.tmp" && mv "$1.tmp" "$1"
}
make_duckdb() { # file count
  [ -f "$1" ] && return
  echo "== making $2 DuckDB tables in $1" >&2
  rm -f "$1.tmp"
  java -cp "$(ls "$here"/target/lib/duckdb_jdbc-*.jar)" "$here/bench/ManyTables.java" "$1.tmp" "$2" >&2 && mv "$1.tmp" "$1"
}
make_pg() { # schema count
  if [ "$(psql -X -At -d spillway_bench -c "SELECT count(*) FROM pg_tables WHERE schemaname = '$1'" 2>/dev/null || echo 0)" = "$2" ]; then
    return
  fi
  echo "== making $2 PostgreSQL tables in schema $1" >&2
  psql -X -q -d postgres -c "CREATE DATABASE spillway_bench" 2>/dev/null || true
  psql -X -q -d spillway_bench -c "DROP SCHEMA IF EXISTS $1 CASCADE" -c "CREATE SCHEMA $1" >/dev/null
  awk -v n="$2" -v s="$1" 'BEGIN { for (i = 0; i < n; i += 1000) { print "BEGIN;";
    for (j = i; j < i + 1000 && j < n; j++) printf "CREATE TABLE %s.t%06d (id bigint PRIMARY KEY, v text); INSERT INTO %s.t%06d VALUES (%d, %crow %d%c);\n", s, j, s, j, j, 39, j, 39;
    print "COMMIT;" } }' | psql -X -q -d spillway_bench >/dev/null
  psql -X -q -d spillway_bench -c "ANALYZE" >/dev/null
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
timed() { # name logfile command...: appends "name seconds" to times
  local name="$1" logf="$2"; shift 2
  local t0 t1; t0=$(date +%s%N)
  "$@" >"$logf.out" 2>"$logf" || { echo "FAILED: $*" >&2; tail -5 "$logf" >&2; return 1; }
  t1=$(date +%s%N)
  printf '%s %s\n' "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')" >> "$times"
}

echo "load before: $(uptime)"
printf '%-8s %7s %6s | %8s %8s %8s | %s\n' source tables tasks plan_s first_s other_s "plan bytes read by task 42"
for source in $sources; do
  for count in $counts; do
    case "$source" in
      sqlite) db="$work/t$count.sqlite"; make_sqlite "$db" "$count"; src="sqlite:$db" ;;
      duckdb) db="$work/t$count.duckdb"; make_duckdb "$db" "$count"; src="duckdb:$db" ;;
      pg) make_pg "many_$count" "$count"; src="postgresql://$PGUSER@$PGHOST:$PGPORT/spillway_bench?schema=many_$count" ;;
    esac
    times="$work/$source-$count.times"; : > "$times"
    for i in $(seq 1 "$n"); do
      dest="$work/out-$source-$count"; rm -rf "$dest"; mkdir -p "$dest"
      timed plan "$work/plan.log" "$sw" plan --source "$src" --tasks "$tasks"
      timed first "$work/first.log" "$sw" task --source "$src" --dest "$dest" --tasks "$tasks" --task-index 0 --execution e1
      t0=$(date +%s%N)
      strace -f --seccomp-bpf -qq -e trace=openat -o "$work/other.strace" "$sw" task --source "$src" --dest "$dest" --tasks "$tasks" \
        --task-index 42 --execution e1 >"$work/other.log" 2>&1
      t1=$(date +%s%N)
      printf 'other %s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')" >> "$times"
    done
    read_bytes=0
    for f in $(grep -E "\"$dest/_spillway/executions/e1/[^\"]*plan[^\"]*\", O_RDONLY[^=]*= [0-9]" "$work/other.strace" \
        | grep -o '"[^"]*"' | tr -d '"' | sort -u || true); do
      [ -f "$f" ] && read_bytes=$(( read_bytes + $(stat -c %s "$f") ))
    done
    phases=$(grep -ho "Planned .*\|Stored the plan .*" "$work/first.log" | sed 's/"}$//' | tr '\n' ' ' || true)
    printf '%-8s %7d %6d | %8s %8s %8s | %s\n' "$source" "$count" "$tasks" \
      "$(awk '$1 == "plan" { print $2 }' "$times" | median)" "$(awk '$1 == "first" { print $2 }' "$times" | median)" \
      "$(awk '$1 == "other" { print $2 }' "$times" | median)" "$read_bytes"
    echo "    last first task: ${phases:-(no phase log)}"
  done
done
echo "load after: $(uptime)"
echo "(other runs under strace -f --seccomp-bpf -e openat, which stops it only at openat)"
