#!/usr/bin/env bash
# Formats benchmark: a DuckDB table of ROWS rows (default 10,000,000) exported by Spillway as CSV,
# CSV+zstd, CSV+gzip, JSON lines (+zstd) and Parquet (snappy, zstd), beside DuckDB's own
# COPY ... (FORMAT parquet) of the same table, and the row writers the server sources use.
#   bench/formats.sh            # 10M rows
#   bench/formats.sh 200000     # a quick run
# Work files go to bench/work/formats (ignored by git); the table is made once per row count.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
rows="${1:-10000000}"
work="$root/bench/work/formats/$rows"
mkdir -p "$work"
if [ ! -f "$root/target/spillway.jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$root/target/spillway.jar" -print -quit)" ]; then
  (cd "$root" && mvn -q -B -o package -DskipTests 2>/dev/null || mvn -q -B package -DskipTests)
fi
exec java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "$root/target/spillway.jar:$root/target/lib/*" "$here/FormatsBench.java" "$work" "$rows" "${@:2}"
