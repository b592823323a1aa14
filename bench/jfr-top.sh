#!/usr/bin/env bash
# The top frames of a flight recording's CPU samples (jdk.ExecutionSample), for JDK 17's `jfr`,
# which has no `view` command.
#   bench/jfr-top.sh FILE.jfr [N=15]      EVENT=jdk.NativeMethodSample for threads in native code
# Prints three lists, each as samples, share, frame: the top frame of each sample (where the CPU
# was); the first io.spillway frame of each sample (which of Spillway's code the time is under);
# the first frame outside the JDK (java., jdk., sun.), e.g. the JDBC driver's.
set -euo pipefail
file="$1"; n="${2:-15}"; event="${EVENT:-jdk.ExecutionSample}"
jfr print --events "$event" --stack-depth 64 "$file" | awk -v n="$n" '
function flush() {
  if (!k) return
  total++
  top[f[1]]++
  for (i = 1; i <= k; i++) if (f[i] ~ /^io\.spillway\./) { own[f[i]]++; break }
  if (i > k) own["(no io.spillway frame)"]++
  for (i = 1; i <= k; i++) if (f[i] !~ /^(java|jdk|sun)\./) { lib[f[i]]++; break }
  if (i > k) lib["(JDK only)"]++
  k = 0
}
/stackTrace = \[/ { inside = 1; k = 0; next }
inside && /^[[:space:]]*\]/ { inside = 0; flush(); next }
inside {
  line = $0; sub(/^[[:space:]]+/, "", line); sub(/[[:space:]]+line:.*$/, "", line)
  if (line != "...") f[++k] = line
}
function show(title, a,   key, m) {
  printf "\n%s (%d samples)\n", title, total
  m = 0
  PROCINFO["sorted_in"] = "@val_num_desc"
  for (key in a) { if (++m > n) break; printf "%6d %5.1f%%  %s\n", a[key], 100 * a[key] / total, key }
}
END {
  show("top frame", top)
  show("first io.spillway frame", own)
  show("first frame outside the JDK", lib)
}'
