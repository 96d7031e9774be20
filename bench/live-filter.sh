#!/usr/bin/env bash
# How much of a busy link the live capture's default filter passes (README "Live capture"), and that the
# records stay the same: bulk downloads (HTTP and HTTPS, 30 MB each, 3 of each) and DNS queries in a network
# namespace of its own (loopback, MTU 1500), captured with tcpdump, then filtered with CaptureFilter's default.
# Needs root, iproute2, tcpdump, curl, openssl, dig, python3, and target/tiktok-detector.jar.
set -euo pipefail
jar=$(cd "$(dirname "$0")/.." && pwd)/target/tiktok-detector.jar
work=$(mktemp -d)
ns=tiktok-filter-$$
cleanup() { ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
head -c 30000000 /dev/urandom > big.bin
openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 1 -subj /CN=www.tiktok.com 2>/dev/null
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip link set lo mtu 1500
ip netns exec "$ns" tcpdump -i lo -s 256 -w bulk.pcap 2>/dev/null &
ip netns exec "$ns" python3 -m http.server 8080 --bind 127.0.0.1 >/dev/null 2>&1 &
ip netns exec "$ns" openssl s_server -accept 8443 -cert c.pem -key k.pem -WWW -quiet >/dev/null 2>&1 &
sleep 2
for _ in 1 2 3; do
    ip netns exec "$ns" curl -s -o /dev/null -H 'Host: www.tiktok.com' http://127.0.0.1:8080/big.bin
    ip netns exec "$ns" curl -sk -o /dev/null --resolve www.tiktok.com:8443:127.0.0.1 https://www.tiktok.com:8443/big.bin
    ip netns exec "$ns" dig +tries=1 +time=1 @127.0.0.1 www.tiktok.com >/dev/null 2>&1 || true
done
sleep 1
ip netns pids "$ns" | xargs -r kill
sleep 1
printf 'System.out.println(org.tiktokdetector.decode.capture.CaptureFilter.defaultFor(1, org.tiktokdetector.decode.capture.TunnelPorts.DEFAULTS));\n/exit\n' > f.jsh
filter=$(jshell --class-path "$jar" f.jsh | tail -1)
tcpdump -r bulk.pcap -w filtered.pcap "$filter" 2>/dev/null
all=$(tcpdump -r bulk.pcap 2>/dev/null | wc -l)
passed=$(tcpdump -r filtered.pcap 2>/dev/null | wc -l)
records() { java -jar "$jar" extract "$1" 2>/dev/null | sed 's/"sensor":"[^"]*",//' | sort; }
same=$([ "$(records bulk.pcap)" = "$(records filtered.pcap)" ] && echo same || echo DIFFERENT)
echo "packets: $all captured, $passed pass the default filter; records: $(records bulk.pcap | wc -l), $same with the filter"
