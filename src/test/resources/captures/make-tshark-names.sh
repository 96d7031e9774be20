#!/usr/bin/env bash
# Writes FILE.tshark-names.txt next to the expected-names folder for every capture the name tests use:
# the DNS query names, TLS/QUIC SNI, Google QUIC CHLO SNI and HTTP Host values tshark finds, one per line,
# sorted. Run once when a capture changes (tests do not need tshark). tshark's "<...>" placeholders (e.g.
# "<Name contains a pointer that loops>") are diagnostics, not names, and are left out.
# The shared captures beside the repository (../shared/captures, too many to copy here) get theirs under
# shared/, at the same path: shared/zeek/tunnels/vxlan.pcap.tshark-names.txt for zeek/tunnels/vxlan.pcap.
# They are compared with every capture there by SharedCapturesMatchTsharkTest.
set -euo pipefail
shopt -s nullglob
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
names() {
    local capture=$1 out=$2
    {
        echo "# tshark $(tshark --version | head -1 | awk '{print $3}') -r $(basename "$capture") -T fields -e dns.qry.name -e tls.handshake.extensions_server_name -e http.host -e gquic.tag.sni"
        tshark -r "$capture" -T fields -e dns.qry.name -e tls.handshake.extensions_server_name -e http.host -e gquic.tag.sni 2>/dev/null \
            | tr '\t,' '\n\n' | grep -v '^$' | grep -v '^<.*>$' | LC_ALL=C sort || true
    } >"$out"
}
for f in "$here"/{zeek,generated}/*.{pcap,pcapng}; do names "$f" "$f.tshark-names.txt"; done
for f in "$root"/sample-data/captures/*.{pcap,pcapng}; do names "$f" "$here/sample/$(basename "$f").tshark-names.txt"; done
shared=$(cd "$root/../shared/captures" && pwd)
for f in "$shared"/zeek/{dns,quic,quic/interop/quic-go_quic-go,tls,tunnels}/*.{pcap,pcapng}; do
    out=$here/shared/${f#"$shared"/}.tshark-names.txt
    mkdir -p "$(dirname "$out")"
    names "$f" "$out"
done
