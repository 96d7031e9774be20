#!/usr/bin/env bash
# The fixed cost of a `detect` run on the embedded cluster, whole process (JVM start, embedded Flink start-up,
# job, shutdown): `java -jar target/tiktok-detector.jar` against `jobs/tiktok-detector` (class-data archive,
# later C2) on a one-record input, alternating, in the same run. Prints the median wall and CPU (user + system)
# time of each and their ratios. Needs: mvn package done (it makes the archive).
#
# usage: bench/startup.sh [RUNS] [INPUT]     (defaults: 5 runs each; the first flow record of the sample data)
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

mid() {
  sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: > target/bench/startup-jar.txt
: > target/bench/startup-launcher.txt
for _ in $(seq "$runs"); do
  seconds java -jar "$PWD/target/tiktok-detector.jar" detect >> target/bench/startup-jar.txt
  seconds "$PWD/jobs/tiktok-detector" detect >> target/bench/startup-launcher.txt
done
declare -A wall cpu
for how in jar launcher; do
  read -r wall[$how] <<<"$(cut -d' ' -f1 "target/bench/startup-$how.txt" | mid)"
  read -r cpu[$how] <<<"$(cut -d' ' -f2 "target/bench/startup-$how.txt" | mid)"
done

echo "input: $input; median of $runs runs each, alternating; $(nproc) cores"
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-22s %6.2f s wall  %6.2f s CPU   (runs: %s)\n" "java -jar" "${wall[jar]}" "${cpu[jar]}" "$(cut -d' ' -f1 target/bench/startup-jar.txt | xargs)"
printf "%-22s %6.2f s wall  %6.2f s CPU   (runs: %s)\n" "jobs/tiktok-detector" "${wall[launcher]}" "${cpu[launcher]}" "$(cut -d' ' -f1 target/bench/startup-launcher.txt | xargs)"
awk -v a="${wall[launcher]}" -v b="${wall[jar]}" -v c="${cpu[launcher]}" -v d="${cpu[jar]}" \
  'BEGIN {printf "launcher / java -jar: %.2f wall, %.2f CPU\n", a / b, c / d}'
