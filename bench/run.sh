#!/usr/bin/env bash
# Times what users type: whole `spillway run` processes against the databases' own export tools,
# on this machine's PostgreSQL, MariaDB and an embedded DuckDB file. See docs/benchmarks.md.
#
#   bench/run.sh                 ROWS=5000000 rows a table, PAIRS=5 pairs a case
#   ROWS=200000 bench/run.sh     a quick run
#
# Environment: ROWS, PAIRS, CASES (a comma list of case-name prefixes, default all: pg,my,duck,
# schema,onerow; e.g. CASES=pg.s1,onerow), BENCH_DIR (scratch, default /tmp/spillway-run-bench),
# KEEP=1 keeps the generated tables (a later run with the same ROWS reuses them), DB (default
# spillway_bench) names the databases, so tables of two sizes can be kept side by side,
# PGHOST/PGPORT/PGUSER, MYHOST/MYPORT/MYUSER, SPILLWAY_JAVA_OPTS / SPILLWAY_TASK_JAVA_OPTS (passed on),
# BASELINE (another checkout, built, e.g. of main): its `spillway run` is timed in every case, as side
# `base`, in the inner task's place, so a change and what it replaces are timed in the same rounds.
# FLOOR=1 (the pg and schema cases): also times, as side `floor`, the server's part of Spillway's export with a
# client that does nothing: the same COPYs, at once, binary into /dev/null by `psql`, with the scans
# Spillway asks for (docs/benchmarks.md). The anchor over it is the ratio no client could beat here.
#
# Each case runs its commands PAIRS times, alternating: anchor then Spillway in odd pairs, Spillway
# then anchor in even ones (with an inner `spillway task`: A B C, then C B A). Per pair it records
# the wall time (bash's clock around the whole command), and from GNU time the user+sys CPU and the
# peak RSS of the command's process tree (the largest single process in it, children included once
# they are waited for; not a sum), plus the CPU the database server spent for it (bench/server-cpu.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${ROWS:-5000000}"
pairs="${PAIRS:-5}"
cases="${CASES:-pg,my,duck,schema,onerow}"
work="${BENCH_DIR:-/tmp/spillway-run-bench}"
PGHOST="${PGHOST:-127.0.0.1}"; PGPORT="${PGPORT:-5432}"; PGUSER="${PGUSER:-postgres}"
MYHOST="${MYHOST:-127.0.0.1}"; MYPORT="${MYPORT:-3306}"; MYUSER="${MYUSER:-root}"
export PGHOST PGPORT PGUSER
db="${DB:-spillway_bench}"
pg_uri="postgresql://$PGUSER@$PGHOST:$PGPORT/$db"
my_uri="mariadb://$MYUSER@$MYHOST:$MYPORT/$db"
duck="$work/bench.duckdb"
results="$work/results.tsv"
sw="$here/spillway"
cpu="$here/bench/server-cpu.sh"

pg() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
my() { mariadb -h "$MYHOST" -P "$MYPORT" -u "$MYUSER" "$@"; }
want() { local c; IFS=, read -ra cs <<< "$cases"; for c in "${cs[@]}"; do [[ "$1" == "$c"* ]] && return 0; done; return 1; }
want_any() { local c; IFS=, read -ra cs <<< "$cases"; for c in "${cs[@]}"; do [[ "$c" == "$1"* || "$1" == "$c"* ]] && return 0; done; return 1; }

# --- tables --------------------------------------------------------------------------------------
# s1: narrow (bigint key, md5 text, double, int, date); s2: wide text (four text columns, ~330 bytes
# a row); s3: numeric and timestamptz heavy; one_row (schema bench_one, alone): the fixed cost;
# bench_schema: 30 tables of jdbc.sh's shape whose rows (ROWS in all) grow 1..30 (the pg_dump case).
generate_pg() {
  # only the shapes CASES asks for (s2 at 20M rows alone is 7 GB); a later run with the same ROWS adds the others.
  # Each table is created and filled in one statement string, so one that exists is complete.
  if [ "$(psql -X -At -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ] \
     || [ "$(pg -At -c "SELECT max(rows) FROM bench_run.meta" 2>/dev/null || true)" != "$rows" ]; then
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    pg -c "CREATE SCHEMA bench_run; CREATE SCHEMA bench_one; CREATE SCHEMA bench_schema;
           CREATE TABLE bench_run.meta AS SELECT $rows::bigint AS rows"
  fi
  local have gs="FROM generate_series(1, $rows) g" made=0
  have=$(pg -At -c "SELECT string_agg(table_schema || '.' || table_name, ',') FROM information_schema.tables
                    WHERE table_schema IN ('bench_run', 'bench_one', 'bench_schema')")
  missing() { [[ ",$have," != *",$1,"* ]] && { echo "== generating PostgreSQL $1, $rows rows" >&2; made=1; }; }
  if want_any pg.s1 && missing bench_run.s1; then
    pg -c "CREATE TABLE bench_run.s1 (id bigint PRIMARY KEY, h text, x double precision, n int, d date);
           INSERT INTO bench_run.s1 SELECT g, md5(g::text), random() * 1e6, g % 100000, date '2000-01-01' + (g % 10000)::int $gs" &
  fi
  if want_any pg.s2 && missing bench_run.s2; then
    pg -c "CREATE TABLE bench_run.s2 (id bigint PRIMARY KEY, a text, b text, c text, d text);
           INSERT INTO bench_run.s2 SELECT g, md5(g::text) || md5((g + 1)::text), repeat(md5((g * 3)::text), 3),
           repeat(md5((g * 7)::text), 3), 'row ' || g || ' ' || md5((g * 11)::text) $gs" &
  fi
  wait
  if want_any pg.s3 && missing bench_run.s3; then
    pg -c "CREATE TABLE bench_run.s3 (id bigint PRIMARY KEY, n1 numeric(18,6), n2 numeric(12,2), n3 numeric,
           t1 timestamptz, t2 timestamptz, t3 timestamp);
           INSERT INTO bench_run.s3 SELECT g, g * 1.000001, round((random() * 1e6)::numeric, 2), g / 7.0,
           timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
           timestamptz '2020-06-01 12:00:00+00' + (g % 86400000) * interval '1 millisecond',
           timestamp '2000-01-01' + g * interval '1 minute' $gs" &
  fi
  if want_any onerow && missing bench_one.one_row; then
    pg -c "CREATE TABLE bench_one.one_row (id bigint PRIMARY KEY, h text, x double precision, n int, d date);
           INSERT INTO bench_one.one_row VALUES (1, md5('1'), 123456.789, 1, date '2000-01-02')"
  fi
  if want_any schema && missing bench_schema.t30; then
    local cols="id bigint PRIMARY KEY, user_id int, amount numeric(12,2), label text, created timestamptz, flag boolean"
    for i in $(seq 1 30); do
      local t n
      t=$(printf 't%02d' "$i"); n=$(( rows * i / 465 + 1 ))
      pg -c "DROP TABLE IF EXISTS bench_schema.$t; CREATE TABLE bench_schema.$t ($cols);
             INSERT INTO bench_schema.$t SELECT g, (random() * 1000000)::int,
             round((random() * 10000)::numeric, 2), md5(g::text) || md5((g * 7)::text),
             timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', g % 3 = 0 FROM generate_series(1, $n) g"
    done
  fi
  wait
  # the pages VACUUM dirtied are written out now, not during the first timed pairs
  if [ "$made" = 1 ]; then pg -c "VACUUM ANALYZE"; pg -c "CHECKPOINT"; fi
}

# only the shapes CASES asks for (s2 at 5M rows alone is 1.6 GB); a later run adds the others
generate_my() {
  if [ "$(my -N -e "SELECT max(n) FROM $db.meta" 2>/dev/null || true)" != "$rows" ]; then
    my -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db"
  fi
  local seq="FROM seq_1_to_$rows" have
  have=$(my -N -e "SELECT group_concat(TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$db'")
  want_any my.s1 && [[ ",$have," != *,s1,* ]] && { echo "== generating MariaDB s1, $rows rows" >&2; my "$db" -e "
    CREATE TABLE s1 (id bigint PRIMARY KEY, h varchar(32), x double, n int, d date);
    INSERT INTO s1 SELECT seq, md5(seq), rand() * 1e6, seq % 100000, date '2000-01-01' + interval (seq % 10000) day $seq;
    ANALYZE TABLE s1" >/dev/null; }
  want_any my.s2 && [[ ",$have," != *,s2,* ]] && { echo "== generating MariaDB s2, $rows rows" >&2; my "$db" -e "
    CREATE TABLE s2 (id bigint PRIMARY KEY, a text, b text, c text, d text);
    INSERT INTO s2 SELECT seq, concat(md5(seq), md5(seq + 1)), repeat(md5(seq * 3), 3), repeat(md5(seq * 7), 3),
      concat('row ', seq, ' ', md5(seq * 11)) $seq;
    ANALYZE TABLE s2" >/dev/null; }
  want_any my.s3 && [[ ",$have," != *,s3,* ]] && { echo "== generating MariaDB s3, $rows rows" >&2; my "$db" -e "
    SET time_zone = '+00:00';
    CREATE TABLE s3 (id bigint PRIMARY KEY, n1 decimal(18,6), n2 decimal(12,2), n3 decimal(38,10),
      t1 timestamp(6) NULL, t2 timestamp(6) NULL, t3 datetime(6));
    INSERT INTO s3 SELECT seq, seq * 1.000001, round(rand() * 1e6, 2), seq / 7.0,
      timestamp '2024-01-01 00:00:00' + interval seq second,
      timestamp '2020-06-01 12:00:00' + interval (seq % 86400000) * 1000 microsecond,
      timestamp '2000-01-01 00:00:00' + interval seq minute $seq;
    ANALYZE TABLE s3" >/dev/null; }
  my "$db" -e "CREATE TABLE IF NOT EXISTS meta AS SELECT $rows AS n"
}

generate_duck() {
  echo "== DuckDB tables in $duck ($rows rows each; made once)" >&2
  java -cp "$work/classes:$(ls "$here"/target/lib/duckdb_jdbc-*.jar)" DuckCopy make "$duck" "$rows"
}

# --- measuring -----------------------------------------------------------------------------------
# measure CASE SIDE PAIR SERVER OUT COMMAND: runs COMMAND (a bash string) with $OUT emptied and $RUN a
# new execution id, and appends a line to the results: case, side, pair, wall s, user s, sys s,
# peak RSS KiB, server CPU s (or -), bytes written under OUT.
measure() {
  local case="$1" side="$2" pair="$3" server="$4" out="$5" cmd="$6"
  rm -rf "$out" /tmp/spillway/bench-*; mkdir -p "$out"
  sync
  local log="$work/logs/$case.$side.$pair.log" tfile="$work/time.out" status=0
  "$cpu" start "$server" "$db" "$work/cpu.state"
  local t0 t1
  t0=$(date +%s%N)
  OUT="$out" RUN="bench-$case-$side-$pair-$(date +%s%N)" /usr/bin/time -f '%U %S %M' -o "$tfile" \
    bash -c "$cmd" > "$log" 2>&1 || status=$?
  t1=$(date +%s%N)
  local server_s
  server_s=$("$cpu" stop "$server" "$db" "$work/cpu.state")
  if (( status != 0 )); then echo "FAILED: $case $side (exit $status; $log)" >&2; tail -5 "$log" >&2; return 1; fi
  local bytes
  bytes=$(find "$out" -type f -not -path '*/_spillway/*' -not -name '_MANIFEST.json' -not -name 'toc.dat' -printf '%s\n' \
          | awk '{ s += $1 } END { print s + 0 }')
  local u s m; read -r u s m < <(tail -1 "$tfile")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$side" "$pair" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')" "$u" "$s" "$m" "$server_s" "$bytes" >> "$results"
  awk -F'\t' 'END { printf "  %-24s %-7s pair %s: %7.2f s wall, %6.2f s CPU, %6.0f MB peak, server %s s, %.0f MB out\n",
    $1, $2, $3, $4, $5 + $6, $7 / 1024, $8, $9 / 1e6 }' "$results"
}

# bench_case CASE SERVER ANCHOR RUN [TASK [FLOOR]]: PAIRS pairs (triples with an inner `spillway task`, or
# with BASELINE's `spillway run` in its place; and the floor with FLOOR=1), the order reversed every other pair
bench_case() {
  local case="$1" server="$2" anchor="$3" run="$4" task="${5:-}" floor="${6:-}" p third=task
  want "$case" || return 0
  echo "== $case" >&2
  if [ -n "${BASELINE:-}" ]; then
    task="${run//"'$sw'"/"'$BASELINE/spillway'"}"; third=base
  fi
  for p in $(seq 1 "$pairs"); do
    local sides=(anchor run) cmds=("$anchor" "$run")
    if [ -n "$task" ]; then sides+=("$third"); cmds+=("$task"); fi
    if [ "${FLOOR:-0}" = 1 ] && [ -n "$floor" ]; then sides+=(floor); cmds+=("$floor"); fi
    local n=${#sides[@]} i j
    for i in $(seq 0 $(( n - 1 ))); do
      j=$(( p % 2 ? i : n - 1 - i ))
      measure "$case" "${sides[$j]}" "$p" "$server" "$work/out/${sides[$j]}" "${cmds[$j]}"
    done
  done
}

# split_size SOURCE TABLE: a --split-size that cuts TABLE into 2 units, from the plan's own estimate
split_size() {
  local w
  w=$("$sw" plan --source "$1" --include "$2" --tasks 1 --json | grep -o '"weight" *: *[0-9]*' | head -1 | grep -o '[0-9]*$')
  local x=$(( w / 2 + 1 )) units
  units=$("$sw" plan --source "$1" --include "$2" --tasks 2 --split-size "$x" --json | grep -c '"part"')
  (( units >= 2 )) || echo "warning: --split-size $x makes $units unit(s) of $2" >&2
  echo "$x"
}

# the spillway commands a case times; $OUT and $RUN are set by measure
sw_run() { echo "'$sw' run --source '$1' --include $2 --dest \"\$OUT\" --tasks 1 --execution \"\$RUN\""; }
sw_run2() { echo "'$sw' run --source '$1' --include $2 --dest \"\$OUT\" --tasks 2 --split-size $3 --execution \"\$RUN\""; }
sw_task() { echo "'$sw' task --source '$1' --include $2 --dest \"\$OUT\" --tasks 1 --task-index 0 --execution \"\$RUN\""; }
# the floors: the COPYs Spillway's server side runs, at once, into /dev/null (binary, as Spillway reads them)
# by psql, which converts and writes nothing: pg_floor TABLE halves, by blocks (one task: its two halves at
# once) or by key (two tasks: a key range each), each read by a sequential scan, as Spillway reads them
pg_floor() {
  local by="$2" cut half1 half2 seqs="-c enable_tidscan=off -c enable_indexscan=off -c enable_bitmapscan=off"
  if [ "$by" = blocks ]; then
    cut=$(pg -At -c "SELECT pg_relation_size('bench_run.$1') / 8192 / 2")
    half1="ctid < '($cut,0)'"; half2="ctid >= '($cut,0)'"
  else
    cut=$(pg -At -c "SELECT (min(id) + max(id)) / 2 FROM bench_run.$1")
    half1="id < $cut"; half2="id >= $cut"
  fi
  local one="PGOPTIONS='$seqs' psql -X -q -d $db -c \"\\\\copy (SELECT * FROM bench_run.$1 WHERE"
  echo "$one $half1) TO '/dev/null' binary\" & $one $half2) TO '/dev/null' binary\" & wait"
}
# the 30 tables on two connections at once, each taking every other table by size (about half the rows each)
schema_floor() {
  local a="" b="" i
  for i in $(seq 30 -1 1); do
    local t; t=$(printf 't%02d' "$i")
    if (( i % 2 == 0 )); then a+=" -c \"\\\\copy bench_schema.$t TO '/dev/null' binary\""; else b+=" -c \"\\\\copy bench_schema.$t TO '/dev/null' binary\""; fi
  done
  echo "psql -X -q -d $db$a & psql -X -q -d $db$b & wait"
}

# --- the run -------------------------------------------------------------------------------------
mkdir -p "$work/logs" "$work/classes"
: > "$results"; rm -f "$work"/cpu.state*
echo "== $(date -u +%FT%TZ), $(nproc) cores, ROWS=$rows, PAIRS=$pairs, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$work/header.txt"
# the launcher builds the one jar (package, with the shade step) when the sources are newer; a bare
# jar:jar here would leave a jar without its dependencies in its place
"$here/spillway" --version >/dev/null
"$sw" --version >/dev/null
if want_any pg || want_any schema || want_any onerow; then generate_pg; fi
if want_any my; then generate_my; fi
if want_any duck; then
  javac -d "$work/classes" -cp "$(ls "$here"/target/lib/duckdb_jdbc-*.jar)" "$here/bench/DuckCopy.java"
  generate_duck
fi
# the first `spillway task` after a build records the class data sharing archive (see ./spillway): not timed
if [ ! -f "$here/target/spillway.jsa" ] || [ "$here/target/spillway.jar" -nt "$here/target/spillway.jsa" ]; then
  rm -rf "$work/warm"
  if want_any duck && ! want_any pg && ! want_any onerow && ! want_any schema; then
    "$sw" task --source "duckdb:$duck" --include one_row --dest "$work/warm" --tasks 1 --task-index 0 >/dev/null 2>&1
  elif want_any my && ! want_any pg && ! want_any onerow && ! want_any schema; then
    "$sw" task --source "$my_uri" --include meta --dest "$work/warm" --tasks 1 --task-index 0 >/dev/null 2>&1
  else
    "$sw" task --source "$pg_uri?schema=bench_one" --dest "$work/warm" --tasks 1 --task-index 0 >/dev/null 2>&1
  fi
fi

pgs="$pg_uri?schema=bench_run"
for s in s1 s2 s3; do
  if want_any "pg.$s"; then
    bench_case "pg.$s.t1" pg "psql -X -d $db -c \"\\\\copy (SELECT * FROM bench_run.$s) TO '\$OUT/$s.csv' csv header\"" \
      "$(sw_run "$pgs" "$s")" "$(sw_task "$pgs" "$s")" "$(pg_floor "$s" blocks)"
    bench_case "pg.$s.t2" pg "psql -X -d $db -c \"\\\\copy (SELECT * FROM bench_run.$s) TO '\$OUT/$s.csv' csv header\"" \
      "$(sw_run2 "$pgs" "$s" "$(split_size "$pgs" "$s")")" "" "$(pg_floor "$s" key)"
  fi
done
for s in s1 s2 s3; do
  if want_any "my.$s"; then
    anchor="mariadb -h $MYHOST -P $MYPORT -u $MYUSER --batch --quick $db -e 'SELECT * FROM $s' > \"\$OUT/$s.tsv\""
    bench_case "my.$s.t1" mariadb "$anchor" "$(sw_run "$my_uri" "$s")" "$(sw_task "$my_uri" "$s")"
    bench_case "my.$s.t2" mariadb "$anchor" "$(sw_run2 "$my_uri" "$s" "$(split_size "$my_uri" "$s")")"
  fi
done
for s in s1 s2 s3; do
  if want_any "duck.$s"; then
    anchor="java -cp '$work/classes:$(ls "$here"/target/lib/duckdb_jdbc-*.jar)' DuckCopy copy '$duck' $s \"\$OUT/$s.csv\""
    bench_case "duck.$s.t1" none "$anchor" "$(sw_run "duckdb:$duck" "$s")" "$(sw_task "duckdb:$duck" "$s")"
    bench_case "duck.$s.t2" none "$anchor" "$(sw_run2 "duckdb:$duck" "$s" "$(split_size "duckdb:$duck" "$s")")"
  fi
done
bench_case schema.pg30.t2 pg "pg_dump -d $db -n bench_schema -j 2 -Fd -Z0 -f \"\$OUT/dump\"" \
  "'$sw' run --source '$pg_uri?schema=bench_schema' --dest \"\$OUT\" --tasks 2 --execution \"\$RUN\"" "" "$(schema_floor)"
bench_case onerow.pg pg "psql -X -d $db -c \"\\\\copy (SELECT * FROM bench_one.one_row) TO '\$OUT/one.csv' csv header\"" \
  "$(sw_run "$pg_uri?schema=bench_one" one_row)" "$(sw_task "$pg_uri?schema=bench_one" one_row)"

echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$work/header.txt"
"$here/bench/summary.sh" "$results" | tee "$work/summary.txt"
if [ "${KEEP:-0}" != 1 ]; then
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db"
  my -e "DROP DATABASE IF EXISTS $db"
  rm -f "$duck"
fi
rm -rf "$work/out" "$work/warm"
