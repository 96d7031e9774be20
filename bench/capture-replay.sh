#!/usr/bin/env bash
# Capture replay, side by side: tiktok-detector's `extract` against ndpiReader (full DPI) and
# tshark (field extraction) on the same generated capture, in the same run. Prints the median of
# RUNS runs for each as packets/s and the ratios. Needs: mvn package done, python3, tshark,
# libndpi-bin (apt-get install -y tshark libndpi-bin).
#
# usage: bench/capture-replay.sh [PACKETS] [RUNS] [MIX]   (defaults: 1000000 packets, 3 runs, names)
#        JAR=other.jar bench/capture-replay.sh ...          (time another build's extract)
# MIX is make-replay-capture.py's: names (only the packets that carry names) or tap (flows with their data).
# extract runs as a user runs it, through jobs/tiktok-detector (the launcher and its class-data archive), and
# as java -jar for reference; with JAR= only as java -jar.
set -euo pipefail
cd "$(dirname "$0")/.."
packets=${1:-1000000}
runs=${2:-3}
mix=${3:-names}
jar=${JAR:-target/tiktok-detector.jar}
capture=target/bench/replay-$packets.pcap
[ "$mix" = names ] || capture=target/bench/replay-$packets-$mix.pcap
mkdir -p target/bench
[ -f "$capture" ] || python3 bench/make-replay-capture.py "$capture" "$packets" "$mix" >/dev/null
count=$(python3 -c "
import struct,sys
d=open('$capture','rb').read(); p=24; n=0
while p+16<=len(d): p+=16+struct.unpack('<I',d[p+8:p+12])[0]; n+=1
print(n)")

# One timed run of a command, output discarded: "WALL CPU" in seconds (CPU: user + system, all threads).
seconds() {
  /usr/bin/time -f "%e %U %S" -o target/bench/time.txt "$@" >/dev/null 2>&1
  awk '{print $1, $2 + $3}' target/bench/time.txt
}

# shellcheck source=bench/timing.sh
. bench/timing.sh

# Median of each of the two columns.
median() {
  local rows
  rows=$(cat)
  echo "$(cut -d' ' -f1 <<<"$rows" | mid) $(cut -d' ' -f2 <<<"$rows" | mid)"
}

# The tools take turns, run after run, so that the machine's other work falls on each alike.
tools=${TOOLS:-extract java-jar ndpiReader tshark}
[ -z "${JAR:-}" ] || tools=${tools//extract /}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rm -f target/bench/*.runs
for _ in $(seq "$runs"); do
  for tool in $tools; do
    case $tool in
      extract) seconds jobs/tiktok-detector extract --out=/dev/null "$capture" ;;
      java-jar) seconds java -jar "$jar" extract --out=/dev/null "$capture" ;;
      ndpiReader) seconds ndpiReader -q -i "$capture" ;;
      tshark) seconds tshark -n -r "$capture" -T fields -e dns.qry.name -e tls.handshake.extensions_server_name -e http.host ;;
    esac >> "target/bench/$tool.runs"
  done
done
declare -A took cpu
for tool in $tools; do
  read -r took[$tool] cpu[$tool] < <(median < "target/bench/$tool.runs")
done

echo "capture: $capture ($count packets); $jar; median of $runs runs each; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# Other work on the machine slows the tools unevenly (the JVM compiles and collects on other threads).
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
for tool in $tools; do
  awk -v t="$tool" -v s="${took[$tool]}" -v c="${cpu[$tool]}" -v n="$count" \
    'BEGIN {printf "%-12s %8.2f s  %12.0f packets/s   (CPU %.2f s)\n", t, s, n / s, c}'
done
# extract's wall time as a fraction of the others' (issue 15's target: <= 0.5 of ndpiReader's)
for tool in $tools; do
  for other in ndpiReader tshark; do
    if [[ $tool == extract || $tool == java-jar ]] && [[ -n ${took[$other]:-} ]]; then
      awk -v t="$tool" -v o="$other" -v e="${took[$tool]}" -v d="${took[$other]}" \
        'BEGIN {printf "%s / %s: %.2f of its wall time (%.1fx faster)\n", t, o, e / d, d / e}'
    fi
  done
done
