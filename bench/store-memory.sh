#!/usr/bin/env bash
# Peak memory while uploading several GB to an S3-compatible server (S3Proxy on loopback, objects on disk):
#   1. the S3 store alone: SIZE_MIB of bytes streamed into one object, as a shard writer does;
#   2. a whole `spillway task` exporting a DuckDB table of about SIZE_MIB as CSV (1 GiB files).
# For each: peak RSS of the process (GNU time), RSS sampled every second while it runs (to see it
# stay flat), and the JVM's peak heap. Usage: bench/store-memory.sh [SIZE_MIB] (default 3072).
# Needs the Maven repository filled (mvn package once). Writes ~3 x SIZE_MIB to a temporary folder.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
size=${1:-3072}
java_opts=${SPILLWAY_BENCH_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
work=$(mktemp -d "${TMPDIR:-/tmp}/spillway-bench.XXXXXX")
proxy=""
cleanup() {
  [ -n "$proxy" ] && kill "$proxy" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mvn -q -B -o package -DskipTests
mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >/dev/null
app="target/spillway.jar:target/lib/*"
javac -d "$work/classes" -cp "$app" bench/StoreUpload.java bench/MakeTable.java

. bench/s3proxy.sh
start_s3proxy "$work"
proxy=$S3PROXY_PID
port=$S3PROXY_PORT
dest="s3://bench/%s?endpoint=http://127.0.0.1:$port"

# measure NAME COMMAND...: runs COMMAND under GNU time, samples its RSS each second, prints a summary line
measure() {
  local name=$1; shift
  /usr/bin/time -f "%M %e" -o "$work/$name.time" "$@" > "$work/$name.out" 2>&1 &
  local timer=$! pid=""
  : > "$work/$name.rss"
  while kill -0 "$timer" 2>/dev/null; do
    [ -z "$pid" ] && pid=$(pgrep -P "$timer" java || true)
    [ -n "$pid" ] && ps -o rss= -p "$pid" >> "$work/$name.rss" 2>/dev/null || true
    sleep 1
  done
  wait "$timer" || { echo "$name failed:"; tail -30 "$work/$name.out"; exit 1; }
  read -r peak seconds < "$work/$name.time"
  local heap live
  heap=$(grep -oE '[0-9]+M->[0-9]+M' "$work/$name.gc" 2>/dev/null | cut -dM -f1 | sort -n | tail -1 || true)
  live=$(grep 'Pause Full' "$work/$name.gc" 2>/dev/null | grep -oE '[0-9]+M->[0-9]+M' | sed -E 's/.*->([0-9]+)M/\1/' \
    | sort -n | tail -1 || true)
  local samples
  samples=$(sort -n "$work/$name.rss" | awk 'NF { v[++n] = $1 } END { if (n == 0) { print "no RSS samples"; exit }
    p = int(n * 0.9); if (p < 1) p = 1
    printf "RSS each second (MiB): n=%d min=%d median=%d p90=%d max=%d", n, v[1] / 1024, v[int((n + 1) / 2)] / 1024,
      v[p] / 1024, v[n] / 1024 }')
  live=${live:+"after a full GC at most $live MiB"}
  printf '%-7s %6d MiB in %6.1f s: peak RSS %d MiB; heap peak %s MiB (%s); %s\n' \
    "$name" "$size" "$seconds" "$((peak / 1024))" "${heap:-?}" "${live:-no full GC}" "$samples"
}

# shellcheck disable=SC2086
measure upload java $java_opts -Xlog:gc:file="$work/upload.gc" -cp "$work/classes:$app" StoreUpload \
  "$(printf "$dest" upload)" "$size"
grep -h "uploaded" "$work/upload.out" | sed 's/^/         /'

java -cp "$work/classes:$app" MakeTable "$work/source.duckdb" "$size" > /dev/null
# shellcheck disable=SC2086
SPILLWAY_SOURCE="duckdb:$work/source.duckdb" SPILLWAY_DEST="$(printf "$dest" task)" SPILLWAY_TASKS=1 \
  SPILLWAY_EXECUTION=bench-1 SPILLWAY_TASK_INDEX=0 \
  measure task java $java_opts -Xlog:gc:file="$work/task.gc" -jar target/spillway.jar task
grep -h "Exported\|Published" "$work/task.out" | sed -E 's/^.*\] /         /'
