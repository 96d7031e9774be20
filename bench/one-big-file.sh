#!/usr/bin/env bash
# Issue 15 target 1: one big Zeek dns.log (JSON, 1% TikTok names), whole process each, alternating:
#   (a) the single-threaded baseline: Jackson's streaming parser reads each line's `query`, looked up in a HashSet
#       of the default list's suffix rules at every label boundary (OneBigFile baseline, one thread, no Flink);
#   (b) jobs/tiktok-detector detect --input FILE at parallelism 2 (the file cut into ranges, --split-size).
# Prints the median wall time of each, job/baseline, the load average, and both hit counts and whether they hit the
# same lines (the job's matcher is richer: exact and wildcard rules, so it may hit more).
# Needs: mvn -B -q package -DskipTests (jar, launcher archive) and mvn -B -q -Pbench package -DskipTests (benchmarks.jar).
#
# usage: bench/one-big-file.sh [RECORDS] [RUNS]     (defaults: 8000000 records, ~3.7 GB; 3 runs each)
#        JOB_ARGS="--split-size 1024m" bench/one-big-file.sh ...   extra detect options (e.g. larger ranges)
#        BEFORE=/path/to/other/worktree bench/one-big-file.sh ...  also times that build's launcher (made with mvn package
#            there), alternating, and checks that its hits and violations are the same as this build's
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-8000000}
runs=${2:-3}
bench=$PWD/target/bench
mkdir -p "$bench"
file=$bench/dns-$records.log
[ -f "$file" ] || java -cp target/benchmarks.jar org.tiktokdetector.bench.OneBigFile generate "$file" "$records"
out=$bench/one-big-file
rm -rf "$out" && mkdir -p "$out"

# shellcheck source=bench/timing.sh
. bench/timing.sh

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$out/baseline.txt"
: > "$out/job.txt"
: > "$out/before.txt"
for _ in $(seq "$runs"); do
  timed java -cp target/benchmarks.jar org.tiktokdetector.bench.OneBigFile baseline "$file" "$out/baseline-lines.txt" >> "$out/baseline.txt"
  baseline_says=$(cat "$out/stdout.txt")
  # shellcheck disable=SC2086
  timed jobs/tiktok-detector detect --input "$file" --out "$out/violations.jsonl" --hits "$out/hits.jsonl" ${JOB_ARGS:-} >> "$out/job.txt"
  job_says=$(grep -E "flow records|hits" "$out/stderr.txt" | tr '\n' ' ')
  if [ -n "${BEFORE:-}" ]; then
    timed "$BEFORE/jobs/tiktok-detector" detect --input "$file" --out "$out/before-violations.jsonl" --hits "$out/before-hits.jsonl" >> "$out/before.txt"
  fi
done
read -r b_wall <<<"$(cut -d' ' -f1 "$out/baseline.txt" | mid)"
read -r j_wall <<<"$(cut -d' ' -f1 "$out/job.txt" | mid)"
read -r b_cpu <<<"$(cut -d' ' -f2 "$out/baseline.txt" | mid)"
read -r j_cpu <<<"$(cut -d' ' -f2 "$out/job.txt" | mid)"

# The lines each hit: the baseline writes their numbers, the job's hits carry theirs ("line").
grep -o '"line":[0-9]*' "$out/hits.jsonl" | cut -d: -f2 | sort -u > "$out/job-lines.txt"
sort -u "$out/baseline-lines.txt" > "$out/baseline-lines.sorted"
both=$(comm -12 "$out/baseline-lines.sorted" "$out/job-lines.txt" | wc -l)
only_baseline=$(comm -23 "$out/baseline-lines.sorted" "$out/job-lines.txt" | wc -l)
only_job=$(comm -13 "$out/baseline-lines.sorted" "$out/job-lines.txt" | wc -l)

echo "input: $file ($(du -h "$file" | cut -f1), $records records); median of $runs runs each, alternating; $(nproc) cores"
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-34s %7.2f s wall %7.2f s CPU   (runs: %s)\n" "baseline (one thread, Jackson)" "$b_wall" "$b_cpu" "$(cut -d' ' -f1 "$out/baseline.txt" | xargs)"
printf "%-34s %7.2f s wall %7.2f s CPU   (runs: %s)\n" "jobs/tiktok-detector detect" "$j_wall" "$j_cpu" "$(cut -d' ' -f1 "$out/job.txt" | xargs)"
awk -v a="$j_wall" -v b="$b_wall" 'BEGIN {printf "job / baseline: %.2f wall (target <= 0.6)\n", a / b}'
echo "baseline: $baseline_says"
echo "job: $job_says"
echo "lines hit: $both by both, $only_baseline by the baseline only, $only_job by the job only"
if [ -n "${BEFORE:-}" ]; then
  read -r p_wall <<<"$(cut -d' ' -f1 "$out/before.txt" | mid)"
  read -r p_cpu <<<"$(cut -d' ' -f2 "$out/before.txt" | mid)"
  printf "%-34s %7.2f s wall %7.2f s CPU   (runs: %s)\n" "before: $BEFORE" "$p_wall" "$p_cpu" "$(cut -d' ' -f1 "$out/before.txt" | xargs)"
  awk -v a="$j_wall" -v b="$p_wall" -v c="$j_cpu" -v d="$p_cpu" 'BEGIN {printf "this build / before: %.2f wall, %.2f CPU\n", a / b, c / d}'
  for f in hits violations; do
    if cmp -s <(sort "$out/$f.jsonl") <(sort "$out/before-$f.jsonl"); then same=same; else same=DIFFERENT; fi
    echo "$f: $same as before ($(wc -l < "$out/$f.jsonl") and $(wc -l < "$out/before-$f.jsonl") lines)"
  done
fi
