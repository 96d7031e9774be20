#!/usr/bin/env bash
# Writes FILE.community-ids.tsv beside the expected names of the captures CommunityIdTest checks: for every packet
# that can carry a name (DNS, TLS, QUIC, Google QUIC, HTTP request), tshark's frame number and the Community ID (v1, seed 0)
# Wireshark computes for its flow. Run once when a capture changes (tests do not need tshark). Captures with
# tunnels are left out: which layer's endpoints a Community ID hashes there is each tool's own choice.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
version=$(tshark --version | head -1 | awk '{print $3}')
ids() {
    local capture=$1 out=$2
    {
        echo "# tshark $version --enable-protocol communityid -n -r $(basename "$capture") -Y 'dns || tls || quic || gquic || http.request' -T fields -e frame.number -e communityid"
        tshark --enable-protocol communityid -n -r "$capture" -Y 'dns || tls || quic || gquic || http.request' \
            -T fields -e frame.number -e communityid 2>/dev/null
    } >"$out"
}
for f in dns-udp-tcp.pcap tls-openssl.pcap tls-large-hello.pcap http-curl-sll2.pcap quic-ngtcp2.pcap; do
    ids "$root/sample-data/captures/$f" "$here/sample/$f.community-ids.tsv"
done
ids "$here/generated/quic-versions.pcap" "$here/generated/quic-versions.pcap.community-ids.tsv"
for f in chromium-115.0.5790.110-google-de-fragmented.pcap quic-decrypt-fail-google-de-51833.pcap dns-binds.pcap \
        firefox-102.13.0esr-blog-cloudflare-com.pcap tls13-ech.pcap curl-8.1.2-dev-http3-www-google-de.pcap; do
    ids "$here/zeek/$f" "$here/zeek/$f.community-ids.tsv"
done
