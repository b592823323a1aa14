#!/usr/bin/env bash
# Times Spillway on a PostgreSQL table without a primary key, cut into ranges of its blocks (ctid),
# against one psql \copy of the whole table.
#
#   bench/keyless.sh [ROWS]    ROWS (default 5000000) rows of (bigint, md5 text, double, int, date)
#
# A = spillway run --tasks 2 --split-size (a quarter of the table: four block ranges, two per task)
#     to a local folder; B = psql -c "\copy (SELECT * FROM t) TO FILE csv header". They run in pairs,
#     A then B, PAIRS times (default 5). Printed: each pair's wall times, the median of the paired
#     ratios psql time / Spillway time (above 1: Spillway is faster), and each side's largest peak
#     RSS as /usr/bin/time -v reports it (for Spillway the run process or the largest of the task
#     processes it starts, not their sum; the server's processes are not counted for anyone).
#
# Environment: PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres), BENCH_DIR (scratch space, default
# /tmp/spillway-keyless), PAIRS, KEEP=1 keeps the database, SKIP_GENERATE=1 reuses it (same ROWS),
# SPILLWAY_JAVA_OPTS (default -Xmx128m -XX:+UseSerialGC) for the task JVMs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${1:-5000000}"
pairs="${PAIRS:-5}"
PGHOST="${PGHOST:-127.0.0.1}"; PGPORT="${PGPORT:-5432}"; PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER
export SPILLWAY_JAVA_OPTS="${SPILLWAY_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC}"
work="${BENCH_DIR:-/tmp/spillway-keyless}"
db=spillway_keyless
uri="postgresql://$PGUSER@$PGHOST:$PGPORT/$db?schema=public"
pg() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

mkdir -p "$work"
echo "== $(date -u +%FT%TZ) on $(nproc) cores, $rows rows; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$here" && mvn -q -B -o package -DskipTests 2>/dev/null || mvn -q -B package -DskipTests)
if [ "${SKIP_GENERATE:-0}" != 1 ]; then
  echo "== generating table t in database $db" >&2
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  pg -c "CREATE TABLE t (id bigint, label text, amount double precision, n int, day date)" \
     -c "INSERT INTO t SELECT g, md5(g::text), random() * 1000, (random() * 1000000)::int,
         date '2020-01-01' + (g % 2000)::int FROM generate_series(1, $rows) g" \
     -c "VACUUM ANALYZE t"
fi
bytes=$(pg -Atc "SELECT pg_table_size('t')")
split=$(( bytes / 4 + 1 ))
echo "== table t: $bytes bytes; --split-size $split"

# timed LABEL OUT COMMAND...: runs COMMAND under /usr/bin/time -v into a fresh OUT; prints "SECONDS PEAK_KB"
timed() {
  local label="$1" out="$2"; shift 2
  rm -rf "$out"; mkdir -p "$out"; sync
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$work/$label.time" "$@" > "$work/$label.log" 2>&1 \
    || { echo "FAILED: $label (see $work/$label.log)" >&2; tail -5 "$work/$label.log" >&2; exit 1; }
  end=$(date +%s.%N)
  local peak
  peak=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$label.time")
  awk -v s="$start" -v e="$end" -v p="$peak" 'BEGIN { printf "%.2f %d\n", e - s, p }'
}

# the first task after a build records the classes it loads for the later ones (see ./spillway): not timed
"$here/spillway" task --source "$uri" --dest "$work/warm" --tasks 1 --task-index 0 --execution "warm-$(date +%s%N)" \
  >/dev/null 2>&1 || true
rm -rf "$work/warm"

ratios=()
peak_a=0; peak_b=0
for p in $(seq 1 "$pairs"); do
  read -r ta ra < <(timed spillway "$work/sw" "$here/spillway" run --source "$uri" --dest "$work/sw" --tasks 2 \
                      --split-size "$split")
  read -r tb rb < <(timed psql "$work/psql" psql -X -d "$db" -c "\\copy (SELECT * FROM t) TO '$work/psql/t.csv' csv header")
  (( ra > peak_a )) && peak_a=$ra
  (( rb > peak_b )) && peak_b=$rb
  ratio=$(awk -v a="$ta" -v b="$tb" 'BEGIN { printf "%.3f", b / a }')
  ratios+=("$ratio")
  printf 'pair %d: spillway %6.2f s (%6.1f MB peak RSS)   psql \\copy %6.2f s (%6.1f MB peak RSS)   ratio %s\n' \
    "$p" "$ta" "$(awk -v k="$ra" 'BEGIN { print k / 1024 }')" "$tb" "$(awk -v k="$rb" 'BEGIN { print k / 1024 }')" "$ratio"
done
units=$(find "$work/sw" -path '*units*' -name '*.json' 2>/dev/null | wc -l)
echo "== spillway wrote $(find "$work/sw" -name '*.csv' | wc -l) CSV files ($units unit records);" \
     "psql wrote $(stat -c %s "$work/psql/t.csv") bytes"
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "== median of paired ratios (psql time / spillway time; above 1: Spillway is faster): $median"
echo "== peak RSS: spillway $(( peak_a / 1024 )) MB, psql $(( peak_b / 1024 )) MB"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${KEEP:-0}" != 1 ]; then
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db"
  rm -rf "$work"
fi
