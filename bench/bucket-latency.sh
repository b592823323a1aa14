#!/usr/bin/env bash
# `spillway run` into an S3-compatible bucket that is DELAY seconds of round trip away, against another
# checkout's (BASELINE, built): what a change costs or saves where every store operation is a request.
#   BASELINE=../spillway-main bench/bucket-latency.sh [PAIRS=7]
# The bucket is S3Proxy on loopback (objects on disk), behind bench/delay-proxy.py, which adds DELAY
# (default 0.02 s) to each request. The source is bench/run.sh's 30-table PostgreSQL schema (make it
# once: CASES=schema KEEP=1 bench/run.sh), on TASKS (default 2) tasks. Alternates A B / B A and prints
# each pair and the median of the paired ratios (baseline / this checkout: above 1, this one is faster).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-7}"; delay="${DELAY:-0.02}"; tasks="${TASKS:-2}"
base="${BASELINE:?BASELINE=another checkout of Spillway, built (mvn package)}"
db="${DB:-spillway_bench}"
src="postgresql://${PGUSER:-postgres}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}/$db?schema=bench_schema"
work=$(mktemp -d "${TMPDIR:-/tmp}/spillway-latency.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
cd "$here"
mvn -q -B -o package -DskipTests
mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >/dev/null
. bench/s3proxy.sh
start_s3proxy "$work"; pids+=("$S3PROXY_PID")
proxy=$(free_port)
python3 bench/delay-proxy.py "$delay" "$proxy" "$S3PROXY_PORT" > "$work/proxy.log" 2>&1 & pids+=($!)
for _ in $(seq 1 50); do (echo > "/dev/tcp/127.0.0.1/$proxy") 2>/dev/null && break; sleep 0.1; done
dest="s3://bench/export?endpoint=http://127.0.0.1:$proxy"
one() { # one SIDE: prints the wall milliseconds of a whole `spillway run`
  local dir=$here; [ "$1" = base ] && dir=$base
  rm -rf "$work/s3/bench/"*
  local t0; t0=$(date +%s%N)
  "$dir/spillway" run --source "$src" --dest "$dest" --tasks "$tasks" > "$work/$1.log" 2>&1 || { tail -5 "$work/$1.log" >&2; exit 1; }
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
one base > /dev/null; one this > /dev/null   # warm: each side's class data sharing archive, the page cache
echo "== $(date -u +%FT%TZ), $(nproc) cores, round trip ${delay} s, $tasks tasks, 30 tables"
ratios=()
for i in $(seq 1 "$pairs"); do
  if [ $((i % 2)) = 1 ]; then b=$(one base); t=$(one this); else t=$(one this); b=$(one base); fi
  r=$(awk -v b="$b" -v t="$t" 'BEGIN { printf "%.2f", b / t }')
  echo "pair $i: baseline $b ms, this $t ms, ratio $r"
  ratios+=("$r")
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "median ratio %s (spread %s-%s)\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
