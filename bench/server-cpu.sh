#!/usr/bin/env bash
# The CPU a database server spent for one command of bench/run.sh, in seconds.
#
#   server-cpu.sh start pg|mariadb|none DB STATE    before the command
#   server-cpu.sh stop  pg|mariadb|none DB STATE    after it: prints the seconds (or -)
#
# pg: pg_stat_statements is not loaded here (it needs shared_preload_libraries and a restart), so a
# sampler reads /proc/PID/stat (utime + stime) of every backend connected to DB, every 0.1 s, and
# keeps each backend's last reading; `stop` waits for those backends to exit first. Backends of other
# databases (other work on the server) are not counted; what a backend spends in its last 0.1 s is
# missed, so a command whose backends live less than that (the one-row case) reads about 0.
# mariadb: the difference of mariadbd's own utime + stime (all its threads): exact, but it includes
# whatever else the server did meanwhile (other clients, purge), so it is an upper bound.
set -euo pipefail
mode="$1" server="$2" db="$3" state="$4"
ticks=$(getconf CLK_TCK)
postmaster() {
  local dir; dir=$(psql -X -At -d postgres -c "SHOW data_directory")
  head -1 "$dir/postmaster.pid" 2>/dev/null || pgrep -o -x postgres
}
proc_cpu() { local l; read -r l < "/proc/$1/stat"; set -- ${l##*) }; echo $(( ${12} + ${13} )); }
case "$server:$mode" in
  pg:start)
    [ -s "$state.postmaster" ] || postmaster > "$state.postmaster"
    pm=$(cat "$state.postmaster")
    rm -f "$state.stop" "$state.result"
    (
      declare -A seen
      sum() { local t=0 p; for p in "${!seen[@]}"; do t=$(( t + seen[$p] )); done; echo "$t"; }
      while :; do
        stopping=0; [ -e "$state.stop" ] && stopping=1
        for p in $(pgrep -P "$pm" -f ": [^ ]+ $db " || true); do
          v=$(proc_cpu "$p" 2>/dev/null) && seen[$p]=$v
        done
        (( stopping )) && break
        sleep 0.1
      done
      awk -v t="$(sum)" -v k="$ticks" 'BEGIN { printf "%.2f\n", t / k }' > "$state.result.tmp"
      mv "$state.result.tmp" "$state.result"
    ) </dev/null >/dev/null 2>&1 &
    ;;
  pg:stop)
    pm=$(cat "$state.postmaster")
    for _ in $(seq 1 50); do
      pgrep -P "$pm" -f ": [^ ]+ $db " >/dev/null || break
      sleep 0.1
    done
    touch "$state.stop"
    for _ in $(seq 1 50); do [ -e "$state.result" ] && break; sleep 0.1; done
    cat "$state.result"
    ;;
  mariadb:start)
    proc_cpu "$(pgrep -o -x mariadbd || pgrep -o -x mysqld)" > "$state.my"
    ;;
  mariadb:stop)
    after=$(proc_cpu "$(pgrep -o -x mariadbd || pgrep -o -x mysqld)")
    awk -v a="$(cat "$state.my")" -v b="$after" -v k="$ticks" 'BEGIN { printf "%.2f\n", (b - a) / k }'
    ;;
  none:start) ;;
  none:stop) echo - ;;
  *) echo "usage: $0 start|stop pg|mariadb|none DB STATE" >&2; exit 2 ;;
esac
