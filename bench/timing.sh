# Sourced by the bench scripts. timed CMD...: one run, whole process, prints "WALL CPU" in seconds (the command's
# output goes to $out/stdout.txt and $out/stderr.txt). mid: the median of the numbers on standard input ("-" when there are none).
timed() {
  /usr/bin/time -f "%e %U %S" -o "$out/time.txt" "$@" > "$out/stdout.txt" 2> "$out/stderr.txt"
  awk '{print $1, $2 + $3}' "$out/time.txt"
}

mid() {
  sort -g | awk '{a[NR]=$1} END {print (NR == 0 ? "-" : NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}
