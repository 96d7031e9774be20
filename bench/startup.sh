#!/usr/bin/env bash
# The fixed cost of a `detect` run on the embedded cluster, whole process (JVM start, embedded Flink start-up,
# job, shutdown): `java -jar target/tiktok-detector.jar` against `jobs/tiktok-detector` (class-data archive,
# later C2) on a one-record input, alternating, in the same run. Prints the median wall and CPU (user + system)
# time of each and their ratios. Needs: mvn package done (it makes the archive).
#
# usage: bench/startup.sh [RUNS] [INPUT]     (defaults: 5 runs each; the first flow record of the sample data)
#        BEFORE=DIR bench/startup.sh ...      also time DIR/jobs/tiktok-detector (another checkout, built), in turn
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
mkdir -p target/bench
input=${2:-target/bench/one-record.jsonl}
[ -f "$input" ] || head -1 sample-data/own/flows.jsonl > "$input"

# One timed run, output discarded, in a scratch folder: "WALL CPU" in seconds.
seconds() {
  (cd target/bench && /usr/bin/time -f "%e %U %S" -o time.txt "$@" --input "$OLDPWD/$input" >/dev/null 2>&1)
  awk '{print $1, $2 + $3}' target/bench/time.txt
}

# shellcheck source=bench/timing.sh
. bench/timing.sh

declare -A command=([jar]="java -jar $PWD/target/tiktok-detector.jar" [launcher]="$PWD/jobs/tiktok-detector")
hows=(jar launcher)
if [ -n "${BEFORE:-}" ]; then
  command[before]="$(cd "$BEFORE" && pwd)/jobs/tiktok-detector"
  hows+=(before)
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for how in "${hows[@]}"; do : > "target/bench/startup-$how.txt"; done
for _ in $(seq "$runs"); do
  for how in "${hows[@]}"; do
    # shellcheck disable=SC2086 # the command is words
    seconds ${command[$how]} detect >> "target/bench/startup-$how.txt"
  done
done
declare -A wall cpu
for how in "${hows[@]}"; do
  read -r wall[$how] <<<"$(cut -d' ' -f1 "target/bench/startup-$how.txt" | mid)"
  read -r cpu[$how] <<<"$(cut -d' ' -f2 "target/bench/startup-$how.txt" | mid)"
done

echo "input: $input; median of $runs runs each, alternating; $(nproc) cores"
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
for how in "${hows[@]}"; do
  printf "%-40s %6.2f s wall  %6.2f s CPU   (runs: %s)\n" "${command[$how]#"$PWD/"}" "${wall[$how]}" "${cpu[$how]}" \
    "$(cut -d' ' -f1 "target/bench/startup-$how.txt" | xargs)"
done
for how in "${hows[@]:1}"; do
  awk -v how="${command[$how]#"$PWD/"}" -v a="${wall[$how]}" -v b="${wall[jar]}" -v c="${cpu[$how]}" -v d="${cpu[jar]}" \
    'BEGIN {printf "%s / java -jar: %.2f wall, %.2f CPU\n", how, a / b, c / d}'
done
