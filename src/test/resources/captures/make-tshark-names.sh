#!/usr/bin/env bash
# Writes FILE.tshark-names.txt next to the expected-names folder for every capture the name tests use:
# the DNS query names, TLS/QUIC SNI and HTTP Host values tshark finds, one per line, sorted. Run once
# when a capture changes (tests do not need tshark). tshark's "<...>" placeholders (e.g.
# "<Name contains a pointer that loops>") are diagnostics, not names, and are left out.
# The shared captures beside the repository (../shared/captures, too many to copy here) get theirs under
# shared/, at the same path: shared/zeek/tunnels/vxlan.pcap.tshark-names.txt for zeek/tunnels/vxlan.pcap.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
names() {
    local capture=$1 out=$2
    {
        echo "# tshark $(tshark --version | head -1 | awk '{print $3}') -r $(basename "$capture") -T fields -e dns.qry.name -e tls.handshake.extensions_server_name -e http.host"
        tshark -r "$capture" -T fields -e dns.qry.name -e tls.handshake.extensions_server_name -e http.host 2>/dev/null \
            | tr '\t,' '\n\n' | grep -v '^$' | grep -v '^<.*>$' | LC_ALL=C sort || true
    } >"$out"
}
for f in "$here"/zeek/*.pcap "$here"/zeek/*.pcapng; do
    if [ -e "$f" ]; then names "$f" "$f.tshark-names.txt"; fi
done
for f in "$root"/sample-data/captures/*.pcap*; do names "$f" "$here/sample/$(basename "$f").tshark-names.txt"; done
shared=$(cd "$root/../shared/captures" && pwd)
for f in "$shared"/zeek/tunnels/*.pcap*; do
    out=$here/shared/${f#"$shared"/}.tshark-names.txt
    mkdir -p "$(dirname "$out")"
    names "$f" "$out"
done
