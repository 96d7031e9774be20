#!/usr/bin/env bash
# Submits the detector to a running Flink 2.2 session cluster:
#   jobs/submit.sh CONFIG [more detect options...]
#   jobs/submit.sh --print-args CONFIG     only print the detect arguments, one per line
# CONFIG lists detect options, one per line (# starts a comment line); ${NAME} is replaced by the
# environment variable NAME, and a missing one is an error. Runs
#   $FLINK run -d $JAR detect <options>
# FLINK defaults to `flink` on the PATH (or $FLINK_HOME/bin/flink), JAR to
# target/tiktok-detector-flink.jar (the jar without Flink's own classes; build it with
# `mvn package`). The cluster to submit to comes from Flink's configuration (rest.address) or from
# FLINK_RUN_OPTS, e.g. FLINK_RUN_OPTS="-Drest.address=flink-jm.example.gov -Drest.port=8081".
set -euo pipefail

print_only=false
if [[ ${1:-} == --print-args ]]; then
    print_only=true
    shift
fi
if [[ $# -lt 1 || ! -f $1 ]]; then
    echo "usage: jobs/submit.sh [--print-args] CONFIG [more detect options...]  (CONFIG: jobs/local.conf, jobs/compose.conf, jobs/production.conf)" >&2
    exit 2
fi
config=$1
shift

args=()
lineno=0
while IFS= read -r line || [[ -n $line ]]; do
    lineno=$((lineno + 1))
    line="${line#"${line%%[![:space:]]*}"}"
    [[ -z $line || $line == \#* ]] && continue
    while [[ $line =~ \$\{([A-Za-z_][A-Za-z0-9_]*)\} ]]; do
        name=${BASH_REMATCH[1]}
        if [[ -z ${!name+x} ]]; then
            echo "jobs/submit.sh: $config:$lineno needs the environment variable $name" >&2
            exit 2
        fi
        line=${line//"\${$name}"/${!name}}
    done
    read -r -a words <<< "$line"
    args+=("${words[@]}")
done < "$config"
args+=("$@")

if $print_only; then
    printf '%s\n' "${args[@]}"
    exit 0
fi

jar=${JAR:-target/tiktok-detector-flink.jar}
if [[ ! -f $jar ]]; then
    echo "jobs/submit.sh: $jar not found; build it with: mvn -B package -DskipTests" >&2
    exit 2
fi
flink=${FLINK:-}
if [[ -z $flink ]]; then
    if [[ -n ${FLINK_HOME:-} ]]; then flink=$FLINK_HOME/bin/flink; else flink=flink; fi
fi
# shellcheck disable=SC2086 # FLINK_RUN_OPTS is a list of options
exec "$flink" run -d ${FLINK_RUN_OPTS:-} "$jar" detect "${args[@]}"
