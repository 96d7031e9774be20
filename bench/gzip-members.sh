#!/usr/bin/env bash
# Issue 15 target 1, gzip: one big dns.log as a gzip file of many members (split -l 500000, each part gzipped, joined
# as `cat` would), read by jobs/tiktok-detector detect whole (--split-size 1024m: one split, as before gzip ranges)
# and cut into ranges of members (the default --split-size 64m), whole process each, alternating, medians.
# Prints both, the load average, and whether the hits and the final violations are the same.
# Needs: mvn -B -q package -DskipTests, and target/bench/dns-RECORDS.log (bench/one-big-file.sh makes it).
#
# usage: bench/gzip-members.sh [RECORDS] [RUNS]     (defaults: 8000000 records; 3 runs each)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-8000000}
runs=${2:-3}
bench=$PWD/target/bench
plain=${PLAIN:-$bench/dns-$records.log}
file=$bench/dns-$records.cat.log.gz
[ -f "$file" ] || { split -l 500000 --filter='gzip -6 -c' "$plain" > "$file.tmp" && mv "$file.tmp" "$file"; }
out=$bench/gzip-members
rm -rf "$out" && mkdir -p "$out"

# shellcheck source=bench/timing.sh
. bench/timing.sh

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$out/whole.txt"
: > "$out/ranges.txt"
for _ in $(seq "$runs"); do
  for how in whole ranges; do
    size=64m
    [ "$how" = whole ] && size=1024m
    timed jobs/tiktok-detector detect --input "$file" --out "$out/$how-v.jsonl" --hits "$out/$how-hits.jsonl" --split-size "$size" >> "$out/$how.txt"
    grep -E "flow records|hits" "$out/stderr.txt" | tr '\n' ' ' > "$out/$how-says.txt"
  done
done
echo "input: $file ($(du -h "$file" | cut -f1), $records records); median of $runs runs each, alternating; $(nproc) cores"
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
for how in whole ranges; do
  read -r wall <<<"$(cut -d' ' -f1 "$out/$how.txt" | mid)"
  read -r cpu <<<"$(cut -d' ' -f2 "$out/$how.txt" | mid)"
  printf "%-7s %7.2f s wall %7.2f s CPU   (runs: %s)\n" "$how" "$wall" "$cpu" "$(cut -d' ' -f1 "$out/$how.txt" | xargs)"
  echo "        $(cat "$out/$how-says.txt")"
done
for f in hits v; do
  if [ "$f" = v ]; then # final records, without resolved_addresses (the first 32 to arrive, as with several files)
    keep() { grep '"status":"final"' "$1" | sed 's/"resolved_addresses":\[[^]]*\]//' | sort; }
  else
    keep() { sort "$1"; }
  fi
  if cmp -s <(keep "$out/whole-$f.jsonl") <(keep "$out/ranges-$f.jsonl"); then same=same; else same=DIFFERENT; fi
  echo "$f: $same ($(keep "$out/whole-$f.jsonl" | wc -l) and $(keep "$out/ranges-$f.jsonl" | wc -l) lines)"
done
