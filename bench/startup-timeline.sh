#!/usr/bin/env bash
# Where the fixed cost of a `detect` run goes, phase by phase: jobs/tiktok-detector on a one-record input with
# -Xlog:class+load, and the JVM's uptime when the first class of each phase is loaded (medians of RUNS). The CLI's
# phases run on the main thread; from this build on, the cluster's start runs on a thread of its own
# (flink.EarlyMiniCluster), so the two columns overlap instead of following each other. Needs: mvn package done.
#
# usage: bench/startup-timeline.sh [RUNS]          (default 5)
#        BEFORE=DIR bench/startup-timeline.sh ...   also DIR/jobs/tiktok-detector (another checkout, built), in turn
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
mkdir -p target/bench
input=target/bench/one-record.jsonl
[ -f "$input" ] || head -1 sample-data/own/flows.jsonl > "$input"

# class (the first of a phase to load) and what it marks
markers=(
  "org.tiktokdetector.cli.Main|CLI: main()"
  "org.tiktokdetector.cli.RunEnvironment|CLI: Flink environment (log4j, configuration)"
  "org.tiktokdetector.match.BlocklistParser|CLI: the list"
  'org.tiktokdetector.source.InputFiles$Opened|CLI: the inputs (sniffed)'
  "org.tiktokdetector.DetectionJob|CLI: the job graph"
  "org.apache.flink.streaming.api.graph.StreamGraphGenerator|CLI: execute()"
  "org.apache.flink.runtime.minicluster.MiniCluster|cluster: start"
  "org.apache.flink.runtime.rpc.pekko.PekkoRpcSystem|cluster: RPC system"
  "org.apache.flink.runtime.io.network.buffer.NetworkBufferPool|cluster: task manager's network buffers"
  "org.apache.flink.runtime.dispatcher.Dispatcher|cluster: dispatcher (end of start)"
  "org.apache.flink.runtime.jobmaster.JobMaster|job: JobMaster"
  "org.apache.flink.runtime.taskmanager.Task|job: tasks deployed"
  "org.tiktokdetector.cli.RunSummary|job: result, summary"
)

declare -A launcher=([after]="$PWD/jobs/tiktok-detector")
hows=(after)
if [ -n "${BEFORE:-}" ]; then
  launcher[before]="$(cd "$BEFORE" && pwd)/jobs/tiktok-detector"
  hows=(before after)
fi

# shellcheck source=bench/timing.sh
. bench/timing.sh

# One run: "CLASS SECONDS" for each class loaded, and "exit SECONDS" (whole process, wall).
for how in "${hows[@]}"; do rm -f target/bench/timeline-"$how"-*.txt; done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$runs"); do
  for how in "${hows[@]}"; do
    log=$PWD/target/bench/classes.log
    (cd target/bench && JAVA_OPTS="-Xlog:class+load=info:file=$log:uptime" /usr/bin/time -f "%e" -o time.txt \
      "${launcher[$how]}" detect --input "$OLDPWD/$input" >/dev/null 2>&1)
    { awk '{gsub(/[\[\]s]/, "", $1); print $2, $1}' "$log"; echo "exit $(cat target/bench/time.txt)"; } \
      > "target/bench/timeline-$how-$r.txt"
  done
done

echo "one record; JVM uptime (s) at the first class of each phase, median of $runs runs, alternating; $(nproc) cores"
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-48s" "phase"; for how in "${hows[@]}"; do printf "%8s" "$how"; done; echo
for m in "${markers[@]}" "exit|process end (wall)"; do
  printf "%-48s" "${m#*|}"
  for how in "${hows[@]}"; do
    printf "%8s" "$(for f in target/bench/timeline-"$how"-*.txt; do awk -v c="${m%%|*}" '$1 == c {print $2; exit}' "$f"; done | mid)"
  done
  echo
done
