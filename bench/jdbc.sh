#!/usr/bin/env bash
# Times Spillway against the databases' own export tools on this machine's PostgreSQL and MariaDB.
#
#   bench/jdbc.sh [SCALE]      SCALE 1 (default) = 30 skewed tables of ~1.1 GB of CSV in all, plus a
#                              10M-row table of ~1.2 GB, in each database; 0.05 makes a quick run.
#
# Environment: PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres), MYHOST/MYPORT/MYUSER (127.0.0.1/3306/root),
# BENCH_DIR (scratch space, default /tmp/spillway-bench), KEEP=1 keeps the generated databases and
# SKIP_GENERATE=1 reuses them (same SCALE), ONLY=pg or ONLY=mariadb runs one database,
# SPILLWAY_JAVA_OPTS (default -Xmx128m -XX:+UseSerialGC) for the task JVMs, ROUNDS (default 4): each
# command runs that many times, in turn with the others (the anchors first in odd rounds, Spillway
# first in even ones), and the ratios are of the best times and the median of each round's own
# (this kind of machine's timings vary by 20% from minute to minute).
# Peak memory is the largest sum of the RSS of every process a command started (both tasks together
# when two run at once), sampled every 500 ms (sampling more often took a tenth of a core); database server processes are not counted for anyone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scale="${1:-1}"
PGHOST="${PGHOST:-127.0.0.1}"; PGPORT="${PGPORT:-5432}"; PGUSER="${PGUSER:-postgres}"
MYHOST="${MYHOST:-127.0.0.1}"; MYPORT="${MYPORT:-3306}"; MYUSER="${MYUSER:-root}"
export PGHOST PGPORT PGUSER
work="${BENCH_DIR:-/tmp/spillway-bench}"
export SPILLWAY_JAVA_OPTS="${SPILLWAY_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC}"
db=spillway_bench
rounds="${ROUNDS:-4}"
big_rows=$(awk -v s="$scale" 'BEGIN { printf "%d", 10000000 * s }')
schema_rows=$(awk -v s="$scale" 'BEGIN { printf "%d", 9000000 * s }')

pg() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
my() { mariadb -h "$MYHOST" -P "$MYPORT" -u "$MYUSER" --local-infile=0 "$@"; }
spillway() { "$here/spillway" "$@"; }
pg_uri="postgresql://$PGUSER@$PGHOST:$PGPORT/$db"
my_uri="mariadb://$MYUSER@$MYHOST:$MYPORT/$db"

# rows of table i of 30: weight i, so the largest is 30 times the smallest
rows_of() { awk -v i="$1" -v n="$schema_rows" 'BEGIN { printf "%d", n * i / 465 }'; }

generate_pg() {
  echo "== generating PostgreSQL database $db (scale $scale)" >&2
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  pg -c "CREATE SCHEMA bench; CREATE SCHEMA bench_big"
  local cols="id bigint, user_id int, amount numeric(12,2), label text, created timestamptz, flag boolean"
  local gen="SELECT g, (random() * 1000000)::int, round((random() * 10000)::numeric, 2),
             md5(g::text) || md5((g * 7)::text), timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second'
             + (random() * 1000000)::int * interval '1 microsecond', g % 3 = 0 FROM generate_series(1, @N@) g"
  for i in $(seq 1 30); do
    t=$(printf 't%02d' "$i")
    pg -c "CREATE TABLE bench.$t ($cols)" -c "INSERT INTO bench.$t ${gen//@N@/$(rows_of "$i")}" \
       -c "ALTER TABLE bench.$t ADD PRIMARY KEY (id)" &
    (( i % 2 == 0 )) && wait
  done
  wait
  pg -c "CREATE TABLE bench_big.events ($cols, note text)" \
     -c "INSERT INTO bench_big.events SELECT s.*, 'note ' || s.g FROM (${gen//@N@/$big_rows}) s(g)" \
     -c "ALTER TABLE bench_big.events ADD PRIMARY KEY (id)"
  pg -c "VACUUM ANALYZE"
}

generate_my() {
  echo "== generating MariaDB database $db (scale $scale)" >&2
  my -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db"
  local cols="id bigint PRIMARY KEY, user_id int, amount decimal(12,2), label varchar(64), created timestamp(6) NULL, flag boolean"
  local gen="SELECT seq, floor(rand() * 1000000), round(rand() * 10000, 2), concat(md5(seq), md5(seq * 7)),
             timestamp '2024-01-01 00:00:00' + interval seq second + interval floor(rand() * 1000000) microsecond,
             seq % 3 = 0 FROM seq_1_to_@N@"
  for i in $(seq 1 30); do
    t=$(printf 't%02d' "$i")
    my "$db" -e "SET time_zone = '+00:00'; CREATE TABLE $t ($cols); INSERT INTO $t ${gen//@N@/$(rows_of "$i")}" &
    (( i % 2 == 0 )) && wait
  done
  wait
  my "$db" -e "SET time_zone = '+00:00'; CREATE TABLE events ($cols, note varchar(40));
    INSERT INTO events SELECT s.*, concat('note ', s.seq) FROM (${gen//@N@/$big_rows}) s; ANALYZE TABLE events" >/dev/null
  my "$db" -e "ANALYZE TABLE $(seq -f 't%02g' -s, 1 30)" >/dev/null
}

# sample_peak PID: prints the largest sum of the RSS (KiB) of the processes of PID's session, sampled every 500 ms until it ends
sample_peak() {
  local peak=0 rss
  while kill -0 "$1" 2>/dev/null; do
    rss=$( { ps -o rss= -s "$1" 2>/dev/null || true; } | awk '{ s += $1 } END { print s + 0 }')
    (( rss > peak )) && peak=$rss
    sleep 0.5
  done
  echo "$peak"
}

# measure LABEL COMMAND OUT: runs COMMAND (a bash string) once in its own session, with $RUN set to a
# new execution id, and prints one result line. Each section runs all its commands ROUNDS times in
# turn, so that a slow spell of the machine hits the anchors and Spillway alike.
results=()
round=0
measure() {
  local label="$1" cmd="$2" out="$3"
  local start end status=0
  rm -rf "$out"; mkdir -p "$out"
  sync
  start=$(date +%s.%N)
  RUN="bench-$label-$round-$(date +%s%N)" setsid bash -c "$cmd" > "$work/$label.log" 2>&1 &
  local pid=$!
  # the memory is sampled beside the command, so that its end is timed when it happens, not at the next sample
  sample_peak "$pid" > "$work/$label.peak" &
  local sampler=$!
  wait "$pid" || status=$?
  end=$(date +%s.%N)
  wait "$sampler" || true
  (( status == 0 )) || { echo "FAILED: $label (see $work/$label.log)" >&2; tail -5 "$work/$label.log" >&2; return 1; }
  local peak
  peak=$(cat "$work/$label.peak")
  local bytes
  bytes=$(find "$out" -type f \( -name '*.csv' -o -name '*.tsv' -o -name '*.dat' -o -name '*.txt' \) -printf '%s\n' \
          | awk '{ s += $1 } END { print s + 0 }')
  awk -v l="$label" -v s="$start" -v e="$end" -v b="$bytes" -v p="$peak" -v r="$round" 'BEGIN {
    t = e - s; printf "%-34s %8.2f s %9.1f MB %8.1f MB/s %8.1f MB peak RSS  (round %d)\n", l, t, b / 1e6, b / 1e6 / t, p / 1024, r }'
  results+=("$label $round $(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')")
}
# in_turn A B: runs A then B in odd rounds, B then A in even ones, so that a machine that slows down
# or speeds up during a section favours neither the anchors nor Spillway
in_turn() { if (( round % 2 )); then "$1"; "$2"; else "$2"; "$1"; fi; }
# the best time of LABEL over the rounds
time_of() { local want="$1"; for r in "${results[@]}"; do set -- $r; [ "$1" = "$want" ] && echo "$3"; done | sort -g | head -1; }
# ratio ANCHOR SPILLWAY: the ratio of their best times, and the median of the ratios within each round
ratio() {
  local anchor="$1" spill="$2" a b per
  a=$(time_of "$anchor"); b=$(time_of "$spill")
  [ -n "$a" ] && [ -n "$b" ] || { echo "-"; return; }
  per=$(for r in $(seq 1 "$rounds"); do
          local x="" y="" e
          for e in "${results[@]}"; do
            set -- $e
            [ "$2" = "$r" ] && [ "$1" = "$anchor" ] && x=$3
            [ "$2" = "$r" ] && [ "$1" = "$spill" ] && y=$3
          done
          [ -n "$x" ] && [ -n "$y" ] && awk -v a="$x" -v b="$y" 'BEGIN { print a / b }'
        done | sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  awk -v a="$a" -v b="$b" -v m="$per" 'BEGIN { printf "%.2f (median of rounds %s)", a / b, m }'
}

mkdir -p "$work"
echo "== $(date -u +%FT%TZ) on $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$here" && mvn -q -B -o package -DskipTests 2>/dev/null || mvn -q -B package -DskipTests)
only="${ONLY:-all}"
want() { [ "$only" = all ] || [ "$only" = "$1" ]; }
if [ "${SKIP_GENERATE:-0}" != 1 ]; then
  want pg && generate_pg
  want mariadb && generate_my
fi

run_id() { echo "bench-$1-$(date +%s%N)"; }

# the first task after a build records the classes it loads for the later ones (see ./spillway): not timed
warm_up() { spillway task --source "$1" --include "$2" --dest "$work/warm" --tasks 1 --task-index 0 --execution "$(run_id warm)" 2>/dev/null; rm -rf "$work/warm"; }

if want pg; then
warm_up "$pg_uri?schema=bench" t01
big_bytes=$(pg -Atc "SELECT pg_table_size('bench_big.events')")
half=$(( big_bytes / 4 + 1 ))   # four ranges, two per task

pg_big_anchors() {
measure psql_copy_unsplit "psql -X -d $db -c \"\\copy bench_big.events to '$work/psql1/events.csv' csv header\"" "$work/psql1"
measure psql_copy_split_2 "psql -X -d $db -c \"\\copy (SELECT * FROM bench_big.events WHERE id <= $big_rows / 2) to '$work/psql2/a.csv' csv header\" &
  psql -X -d $db -c \"\\copy (SELECT * FROM bench_big.events WHERE id > $big_rows / 2) to '$work/psql2/b.csv' csv header\" & wait" "$work/psql2"
}
pg_big_spillway() {
measure spillway_pg_unsplit "$here/spillway task --source '$pg_uri?schema=bench_big' --dest $work/sw1 --tasks 1 --task-index 0 --execution \$RUN" "$work/sw1"
measure spillway_pg_split_2_tasks "for i in 0 1; do $here/spillway task --source '$pg_uri?schema=bench_big' --dest $work/sw2 --tasks 2 --task-index \$i --execution \$RUN --split-size $half & done; wait" "$work/sw2"
}
pg_schema_anchor() {
measure pg_dump_j2 "pg_dump -d $db -n bench -j 2 -Fd -Z0 -f $work/dump/d && find $work/dump/d -name '*.dat' -printf x >/dev/null" "$work/dump"
}
pg_schema_spillway() {
measure spillway_pg_schema_2_tasks "for i in 0 1; do $here/spillway task --source '$pg_uri?schema=bench' --dest $work/sws --tasks 2 --task-index \$i --execution \$RUN & done; wait" "$work/sws"
}
for round in $(seq 1 "$rounds"); do
echo
echo "== PostgreSQL: one table of $big_rows rows (round $round of $rounds)"
in_turn pg_big_anchors pg_big_spillway
echo "== PostgreSQL: schema of 30 tables, $schema_rows rows (round $round of $rounds)"
in_turn pg_schema_anchor pg_schema_spillway
done

fi

if want mariadb; then
warm_up "$my_uri" t01
my_big_bytes=$(my -N -e "SELECT data_length FROM information_schema.TABLES WHERE table_schema = '$db' AND table_name = 'events'")
my_half=$(( my_big_bytes / 4 + 1 ))
chmod 1777 "$work"
my_big_anchors() {
measure mariadb_batch_unsplit "mariadb -h $MYHOST -P $MYPORT -u $MYUSER --batch --quick $db -e 'SELECT * FROM events' > $work/myb/events.tsv" "$work/myb"
measure mariadb_into_outfile "chmod 777 $work/myo; mariadb -h $MYHOST -P $MYPORT -u $MYUSER $db -e \"SELECT * FROM events INTO OUTFILE '$work/myo/events.txt' FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\\\"'\"" "$work/myo" || true
}
my_big_spillway() {
measure spillway_my_unsplit "$here/spillway task --source '$my_uri' --include events --dest $work/swm1 --tasks 1 --task-index 0 --execution \$RUN" "$work/swm1"
measure spillway_my_split_2_tasks "for i in 0 1; do $here/spillway task --source '$my_uri' --include events --dest $work/swm2 --tasks 2 --task-index \$i --execution \$RUN --split-size $my_half & done; wait" "$work/swm2"
}
my_schema_anchor() {
measure mariadb_batch_schema_2 "seq -f 't%02g' 1 30 | xargs -P 2 -I @T@ sh -c \"mariadb -h $MYHOST -P $MYPORT -u $MYUSER --batch --quick $db -e 'SELECT * FROM @T@' > $work/mybs/@T@.tsv\"" "$work/mybs"
}
my_schema_spillway() {
measure spillway_my_schema_2_tasks "for i in 0 1; do $here/spillway task --source '$my_uri' --exclude events --dest $work/swms --tasks 2 --task-index \$i --execution \$RUN & done; wait" "$work/swms"
}
for round in $(seq 1 "$rounds"); do
echo
echo "== MariaDB: one table of $big_rows rows (round $round of $rounds)"
in_turn my_big_anchors my_big_spillway
echo "== MariaDB: 30 tables (round $round of $rounds)"
in_turn my_schema_anchor my_schema_spillway
done

fi

echo
echo "== ratios (time of the other / time of Spillway: above 1 means Spillway is faster)"
echo "PostgreSQL big table, unsplit, speed vs psql \\copy:          $(ratio psql_copy_unsplit spillway_pg_unsplit)  (target >= 0.95)"
echo "PostgreSQL big table, 2 tasks vs psql \\copy unsplit:         $(ratio psql_copy_unsplit spillway_pg_split_2_tasks)  (target > 1)"
echo "PostgreSQL big table, 2 tasks vs 2 concurrent psql \\copy:    $(ratio psql_copy_split_2 spillway_pg_split_2_tasks)"
echo "PostgreSQL schema, 2 tasks vs pg_dump -j 2 -Fd -Z0:          $(ratio pg_dump_j2 spillway_pg_schema_2_tasks)  (target >= 1)"
echo "MariaDB big table, unsplit vs mariadb --batch --quick:      $(ratio mariadb_batch_unsplit spillway_my_unsplit)"
echo "MariaDB big table, unsplit vs SELECT INTO OUTFILE:          $(ratio mariadb_into_outfile spillway_my_unsplit)"
echo "MariaDB big table, 2 tasks vs mariadb --batch --quick:      $(ratio mariadb_batch_unsplit spillway_my_split_2_tasks)"
echo "MariaDB schema, 2 tasks vs 2 parallel mariadb --batch:      $(ratio mariadb_batch_schema_2 spillway_my_schema_2_tasks)"

echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${KEEP:-0}" != 1 ]; then
  want pg && psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db"
  want mariadb && my -e "DROP DATABASE IF EXISTS $db"
  rm -rf "$work"
fi
