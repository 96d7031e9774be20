#!/bin/sh
# Creates the topics of jobs/kafka/topics.conf, with their retention, if they do not exist yet.
#   jobs/kafka/create-topics.sh BOOTSTRAP [kafka-topics.sh options, e.g. --command-config client.properties]
# KAFKA_TOPICS names Kafka's kafka-topics.sh (default: /opt/kafka/bin/kafka-topics.sh, as in the apache/kafka image).
set -eu
bootstrap=$1
shift
topics=${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}
conf=$(dirname "$0")/topics.conf
grep -v '^#' "$conf" | while read -r name partitions configs; do
  [ -n "$name" ] || continue
  config_args=""
  for c in $configs; do
    config_args="$config_args --config $c"
  done
  # shellcheck disable=SC2086 # one word per config argument
  $topics --bootstrap-server "$bootstrap" "$@" --create --if-not-exists --topic "$name" \
    --partitions "$partitions" --replication-factor "${REPLICATION_FACTOR:-1}" $config_args
done
