#!/usr/bin/env bash
# Summarises bench/run.sh's results file (case, side, pair, wall s, user s, sys s, peak RSS KiB,
# server CPU s, bytes): per case, the median of the paired ratios anchor wall / Spillway wall (above 1:
# Spillway faster) and their spread (lowest-highest), the median wall times, the median client CPU (user + sys), the largest peak RSS,
# the median server CPU; `task` rows are the inner command, timed in the same rounds, never the headline;
# `base` rows are BASELINE's `spillway run` (bench/run.sh), timed in the same rounds; `floor` rows (FLOOR=1) the
# server's part of the export with a client that does nothing, whose ratio is the most any client could reach.
set -euo pipefail
awk -F'\t' '
function median(list,   n, v, i, j, t) {
  n = split(list, v, " ")
  for (i = 2; i <= n; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
  if (n == 0) return "";
  return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
{
  c = $1; s = $2; p = $3
  if (!(c in seen)) { seen[c] = 1; order[++cases] = c }
  wall[c, s, p] = $4
  walls[c, s] = walls[c, s] " " $4
  cpu[c, s] = cpu[c, s] " " ($5 + $6)
  if ($7 > rss[c, s]) rss[c, s] = $7
  if ($8 != "-") srv[c, s] = srv[c, s] " " $8
  mb[c, s] = $9 / 1e6
  if (p > pairs[c]) pairs[c] = p
}
function ratios(c, s,   p, l) {
  l = ""
  for (p = 1; p <= pairs[c]; p++) if ((c, "anchor", p) in wall && (c, s, p) in wall && wall[c, s, p] > 0) l = l " " wall[c, "anchor", p] / wall[c, s, p]
  return median(l)
}
function spread(c, s,   p, r, lo, hi) {
  lo = ""; hi = ""
  for (p = 1; p <= pairs[c]; p++) if ((c, "anchor", p) in wall && (c, s, p) in wall && wall[c, s, p] > 0) {
    r = wall[c, "anchor", p] / wall[c, s, p]
    if (lo == "" || r < lo) lo = r
    if (hi == "" || r > hi) hi = r
  }
  return lo == "" ? "-" : sprintf("%.2f-%.2f", lo, hi)
}
function fmt(x, f) { return x == "" ? "-" : sprintf(f, x) }
END {
  printf "| %-16s | %-12s | %5s | %9s | %7s | %7s | %7s | %7s | %7s | %7s | %7s | %7s | %7s |\n", "case", "command", "ratio", "spread", "wall s", "A wall", "CPU s", "A CPU", "peak MB", "A peak", "srv CPU", "A srv", "MB out"
  printf "| %-16s | %-12s | %5s | %9s | %7s | %7s | %7s | %7s | %7s | %7s | %7s | %7s | %7s |\n", "---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"
  for (i = 1; i <= cases; i++) {
    c = order[i]
    for (k = 1; k <= 4; k++) {
      s = (k == 1) ? "run" : (k == 2) ? "task" : (k == 3) ? "base" : "floor"
      if (!((c, s) in walls)) continue
      printf "| %-16s | %-12s | %5s | %9s | %7s | %7s | %7s | %7s | %7.0f | %7.0f | %7s | %7s | %7.1f |\n", c,
        (s == "run") ? "spillway run" : (s == "task") ? "(inner) task" : (s == "base") ? "baseline run" : "floor: psql", fmt(ratios(c, s), "%.2f"), spread(c, s),
        fmt(median(walls[c, s]), "%.2f"), fmt(median(walls[c, "anchor"]), "%.2f"),
        fmt(median(cpu[c, s]), "%.2f"), fmt(median(cpu[c, "anchor"]), "%.2f"),
        rss[c, s] / 1024, rss[c, "anchor"] / 1024,
        fmt(median(srv[c, s]), "%.2f"), fmt(median(srv[c, "anchor"]), "%.2f"), mb[c, s]
    }
  }
}' "$1"
