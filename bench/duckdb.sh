#!/usr/bin/env bash
# Spillway against DuckDB's own COPY ... TO on the same table, in the same run.
# Usage: bench/duckdb.sh [ROWS=10000000] [RUNS=3]
# Every side runs as a fresh process on the same file: `spillway task` (one task, local folder,
# CSV, default 1 GiB files), a JVM that only opens the file and runs COPY events TO one CSV, and one
# whose COPY writes the bytes Spillway writes (its dialect's timestamps) to one CSV.
set -euo pipefail
rows=${1:-10000000}
runs=${2:-3}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$here/bench/work"
mkdir -p "$work"
cd "$here"
./spillway --version >/dev/null
mvn -q -B -o test-compile 2>/dev/null || mvn -q -B test-compile
cp="target/test-classes:target/classes:target/lib/*"
db="$work/duckdb-$rows.duckdb"
echo "table: events, $rows rows (id, name, age, email, score, active, signed_up, last_seen, changed_at, balance, note)"
java -cp "$cp" io.spillway.bench.DuckDbBench make "$db" "$rows"

now() { date +%s%N; }
peak() { awk '/Maximum resident/ {print int($6/1024)}' "$1"; }
best_duck=""; best_spill=""; best_same=""
for i in $(seq 1 "$runs"); do
  sync; t0=$(now)
  /usr/bin/time -v java -cp "$cp" io.spillway.bench.DuckDbBench copy "$db" "$work/duckdb.csv" >"$work/duck.out" 2>"$work/duck.time"
  t1=$(now)
  sync; t4=$(now)
  java -cp "$cp" io.spillway.bench.DuckDbBench same "$db" "$work/same.csv" >"$work/same.out"
  t5=$(now)
  rm -rf "$work/spillway"
  sync; t2=$(now)
  /usr/bin/time -v java -jar target/spillway.jar task --source "duckdb:$db" --dest "$work/spillway" --execution "bench-$i" >"$work/spill.out" 2>"$work/spill.time"
  t3=$(now)
  d=$(( (t1 - t0) / 1000000 )); s=$(( (t3 - t2) / 1000000 )); m=$(( (t5 - t4) / 1000000 ))
  echo "run $i: duckdb COPY ${d} ms (inside the JVM: $(grep copy_ms "$work/duck.out" | cut -d= -f2) ms, peak $(peak "$work/duck.time") MB)," \
       "duckdb COPY of the same bytes ${m} ms, spillway task ${s} ms (peak $(peak "$work/spill.time") MB)"
  if [ -z "$best_same" ] || [ "$m" -lt "$best_same" ]; then best_same=$m; fi
  if [ -z "$best_duck" ] || [ "$d" -lt "$best_duck" ]; then best_duck=$d; fi
  if [ -z "$best_spill" ] || [ "$s" -lt "$best_spill" ]; then best_spill=$s; fi
done
bytes=$(du -cb "$work"/spillway/events/*.csv | tail -1 | cut -f1)
files=$(ls "$work"/spillway/events/*.csv | wc -l)
echo "output: $bytes bytes of CSV in $files files (DuckDB's single file: $(stat -c %s "$work/duckdb.csv") bytes, of the same bytes: $(stat -c %s "$work/same.csv"))"
awk -v d="$best_duck" -v s="$best_spill" -v m="$best_same" -v b="$bytes" 'BEGIN {
  printf "best of runs: duckdb %.2f s (%.0f MB/s), spillway %.2f s (%.0f MB/s)\n", d/1000, b/1e6/(d/1000), s/1000, b/1e6/(s/1000);
  printf "speed ratio spillway/duckdb: %.2f (target >= 0.90)\n", d/s;
  printf "speed ratio spillway/duckdb writing the same bytes: %.2f\n", m/s }'
rm -f "$work/duckdb.csv" "$work/same.csv"; rm -rf "$work/spillway"
