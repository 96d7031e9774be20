#!/usr/bin/env bash
# Validates docker-compose.yml (no Docker engine is needed: the file is only parsed and checked)
# and the job configs that its client service and jobs/submit.sh use.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker-compose > /dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get > /dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose > /dev/null
    else
        echo "check-compose: docker-compose is not installed (Debian: apt-get install docker-compose)" >&2
        exit 1
    fi
fi

failed=0
check() {
    local what=$1
    shift
    if "$@"; then
        echo "check-compose: ok   $what"
    else
        echo "check-compose: FAIL $what" >&2
        failed=1
    fi
}

check "docker-compose.yml parses" docker-compose -f docker-compose.yml config -q
check "the client service submits with jobs/submit.sh and jobs/compose.conf" \
    grep -q 'jobs/submit.sh", "jobs/compose.conf"' docker-compose.yml
for conf in jobs/local.conf jobs/compose.conf; do
    check "$conf expands" bash -c "jobs/submit.sh --print-args $conf > /dev/null"
done
check "jobs/production.conf expands with its variables set" env KAFKA_BOOTSTRAP=b:9093 \
    KAFKA_PROPERTIES=jobs/kafka/sasl-ssl.properties.example DETECTOR_DEVICES=devices.csv \
    bash -c "jobs/submit.sh --print-args jobs/production.conf > /dev/null"
check "jobmanager and taskmanager run Flink's Prometheus reporter" \
    test "$(grep -c 'metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory' docker-compose.yml)" = 2
check "compose.conf uses the compose network's listener" grep -q -- '--kafka-bootstrap kafka:19092' jobs/compose.conf

if [[ $failed != 0 ]]; then
    exit 1
fi
echo "check-compose: all checks passed"
