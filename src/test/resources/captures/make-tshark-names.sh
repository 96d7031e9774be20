#!/usr/bin/env bash
# Writes FILE.tshark-names.txt next to the expected-names folder for every capture the name tests use:
# the DNS query names, TLS/QUIC SNI, Google QUIC CHLO SNI and HTTP Host values tshark finds, one per line,
# sorted. Run once when a capture changes (tests do not need tshark). tshark's "<...>" placeholders (e.g.
# "<Name contains a pointer that loops>") are diagnostics, not names, and are left out.
# Beside it (sample, generated and shared captures), FILE.tshark-fields.tsv: every field tshark shows for the packets that carry a name (a DNS
# message, a TLS or QUIC ClientHello, a Google QUIC CHLO, an HTTP request), one tab-separated row per packet
# under a header of field names, for ExtractMatchesTsharkTest; values that occur several times in a packet
# (one per IP layer, per question, per answer) are joined by commas. QT and RT are tshark's own names of the
# query and answer types.
# The shared captures beside the repository (../shared/captures, too many to copy here) get theirs under
# shared/, at the same path: shared/zeek/tunnels/vxlan.pcap.tshark-names.txt for zeek/tunnels/vxlan.pcap.
# They are compared with every capture there by SharedCapturesMatchTsharkTest.
set -euo pipefail
shopt -s nullglob
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
version=$(tshark --version | head -1 | awk '{print $3}')
names() {
    local capture=$1 out=$2
    {
        echo "# tshark $version -r $(basename "$capture") -T fields -e dns.qry.name -e tls.handshake.extensions_server_name -e http.host -e gquic.tag.sni"
        tshark -r "$capture" -T fields -e dns.qry.name -e tls.handshake.extensions_server_name -e http.host -e gquic.tag.sni 2>/dev/null \
            | tr '\t,' '\n\n' | grep -v '^$' | grep -v '^<.*>$' | LC_ALL=C sort || true
    } >"$out"
}
fields() {
    local capture=$1 out=$2
    local -a fields=(frame.number frame.time_epoch frame.protocols ip.src ip.dst ipv6.src ipv6.dst
        tcp.srcport tcp.dstport udp.srcport udp.dstport
        dns.flags.response dns.qry.name dns.qry.type _ws.col.QT dns.count.answers _ws.col.RT dns.resp.ttl dns.a dns.aaaa dns.cname
        tls.handshake.type tls.handshake.extensions_server_name tls.handshake.extensions_alpn_str tls.handshake.extension.type
        quic.version gquic.tag.sni gquic.tag.uaid http.host http.user_agent
        gre.flags.key gre.key erspan.spanid vxlan.vni geneve.vni gtp.teid mpls.label ieee8021ah.isid)
    local args=() f
    for f in "${fields[@]}"; do args+=(-e "$f"); done
    {
        echo "# tshark $version -n -r $(basename "$capture") -Y '$FILTER' -T fields -e ... (as the header says)"
        (IFS=$'\t'; echo "${fields[*]}")
        tshark -n -r "$capture" -o 'gui.column.format:"QT","%Cus:dns.qry.type","RT","%Cus:dns.resp.type"' \
            -Y "$FILTER" -T fields "${args[@]}" 2>/dev/null || true
    } >"$out"
}
FILTER='dns.qry.name || tls.handshake.type == 1 || gquic.tag.sni || http.host'
both() { names "$1" "$2.tshark-names.txt"; fields "$1" "$2.tshark-fields.tsv"; }
names_only() { names "$1" "$2.tshark-names.txt"; }
# "capture output-prefix what", one per line, run $JOBS at a time (tshark spends most of its start waiting).
# The Zeek traces copied into zeek/ are shared captures too: their fields are checked there.
{
    for f in "$here"/zeek/*.{pcap,pcapng}; do echo "$f $f names_only"; done
    for f in "$here"/generated/*.{pcap,pcapng}; do echo "$f $f both"; done
    for f in "$root"/sample-data/captures/*.{pcap,pcapng}; do echo "$f $here/sample/$(basename "$f") both"; done
    shared=$(cd "$root/../shared/captures" && pwd)
    for f in "$shared"/zeek/{dns,quic,quic/interop/quic-go_quic-go,tls,tunnels}/*.{pcap,pcapng}; do
        out=$here/shared/${f#"$shared"/}
        mkdir -p "$(dirname "$out")"
        echo "$f $out both"
    done
} > "${TMPDIR:-/tmp}/tshark-captures.$$"
export version FILTER
export -f names fields both names_only
xargs -P "${JOBS:-4}" -L 1 bash -c '"$2" "$0" "$1"' < "${TMPDIR:-/tmp}/tshark-captures.$$"
rm "${TMPDIR:-/tmp}/tshark-captures.$$"
