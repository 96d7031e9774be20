#!/usr/bin/env bash
# Makes the sample captures in this folder from real clients talking to real local servers on the
# loopback interface of a private network namespace. Run as root; idempotent: every run rewrites the
# same files. Nothing leaves the machine and the host's own lo and /etc/hosts are never touched: the
# script re-runs itself under `unshare --net --mount`, where it turns off lo's segmentation offloads
# (so a TCP_MAXSEG-limited ClientHello is captured as the separate segments a wire tap would see)
# and gives the clients a private /etc/hosts. The only lasting change is apt packages, if missing.
#
#   dns-udp-tcp.pcap          dig against a local dnsmasq on 127.0.0.1:53: TikTok names, a CNAME chain,
#                             a near miss (aaatiktok.com) and an ordinary name over UDP, then over TCP
#                             with several queries on one connection (dig +tcp +keepopen)
#   tls-openssl.pcap          openssl s_client -servername www.tiktok.com -alpn h2,http/1.1 against openssl s_server
#   tls-large-hello.pcap      Python's ssl client (OpenSSL) with a ~1.8 KB ClientHello (long ALPN list) sent with
#                             TCP_MAXSEG 536, so the hello spans four TCP segments
#   http-curl-sll2.pcap       curl -H 'Host: www.tiktok.com' against python3 -m http.server, captured on
#                             "any" (link type LINUX_SLL2)
#   quic-ngtcp2.pcap          ngtcp2's gtlsclient (QUIC v1) connecting to v16-webapp.tiktokcdn.com (SNI) on gtlsserver
#   all.pcapng                all of the above merged into one pcapng (mergecap), two interfaces and link types
set -euo pipefail

need=()
for pkg in dnsmasq dnsutils tcpdump tshark openssl curl ngtcp2-client ngtcp2-server iproute2 ethtool util-linux; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

if [ -z "${IN_CAPTURE_NAMESPACE:-}" ]; then
    exec env IN_CAPTURE_NAMESPACE=1 unshare --net --mount --propagation private "$0" "$@"
fi
ip link set lo up
ethtool -K lo tso off gso off gro off >/dev/null

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# start_capture FILE IFACE FILTER: tcpdump in the background, returns once it is listening.
start_capture() {
    local file=$1 iface=$2 filter=$3
    rm -f "$file"
    tcpdump -i "$iface" --immediate-mode -U -n -w "$file" "$filter" 2>"$work/tcpdump.err" &
    tcpdump_pid=$!
    pids+=("$tcpdump_pid")
    until grep -q "listening on" "$work/tcpdump.err"; do
        kill -0 "$tcpdump_pid" || { cat "$work/tcpdump.err"; exit 1; }
        sleep 0.05
    done
}

stop_capture() {
    # --immediate-mode above: without it packets still in the kernel ring block are lost at exit.
    kill -INT "$tcpdump_pid"
    wait "$tcpdump_pid" || true
}

# wait_port PROTO PORT: until a local server listens there.
wait_port() {
    local flag=$1 port=$2
    until ss -"${flag}"ln | grep -q "127.0.0.1:$port "; do sleep 0.05; done
}

# --- DNS ----------------------------------------------------------------------------------------
dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-dhcp-interface=lo --bind-interfaces \
    --listen-address=127.0.0.1 --port=53 --local-ttl=60 --pid-file="$work/dnsmasq.pid" \
    --host-record=api16-normal-c-useast1a.tiktokv.com,23.1.2.3,2001:db8::23 \
    --host-record=www.tiktok.com,23.3.3.3 \
    --host-record=v16-webapp.tiktokcdn.com.edgesuite.net,23.55.1.7 \
    --cname=v16-webapp.tiktokcdn.com,v16-webapp.tiktokcdn.com.edgesuite.net \
    --host-record=aaatiktok.com,192.0.2.10 \
    --host-record=www.example.org,192.0.2.80 &
pids+=($!)
wait_port u 53
start_capture "$here/dns-udp-tcp.pcap" lo "port 53"
dig @127.0.0.1 +short api16-normal-c-useast1a.tiktokv.com A
dig @127.0.0.1 +short api16-normal-c-useast1a.tiktokv.com AAAA
dig @127.0.0.1 +short v16-webapp.tiktokcdn.com A
dig @127.0.0.1 +short aaatiktok.com A
dig @127.0.0.1 +short www.example.org A
dig @127.0.0.1 +tcp +keepopen +short www.tiktok.com A v16-webapp.tiktokcdn.com A
stop_capture

# --- TLS ----------------------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=www.tiktok.com \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
openssl s_server -quiet -accept 127.0.0.1:8443 -cert "$work/cert.pem" -key "$work/key.pem" -alpn h2,http/1.1 \
    </dev/null >/dev/null 2>&1 &
pids+=($!)
wait_port t 8443
start_capture "$here/tls-openssl.pcap" lo "tcp port 8443"
openssl s_client -servername www.tiktok.com -alpn h2,http/1.1 -connect 127.0.0.1:8443 </dev/null >/dev/null 2>&1
stop_capture

start_capture "$here/tls-large-hello.pcap" lo "tcp port 8443"
python3 - <<'PY'
import socket, ssl
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
# A long ALPN list stands in for a post-quantum key share (OpenSSL 3.0 has no X25519MLKEM768):
# it makes the ClientHello ~1.8 KB, and TCP_MAXSEG makes the kernel cut it into segments.
ctx.set_alpn_protocols(["h2", "http/1.1"] + ["x-padding-protocol-%03d" % i for i in range(60)])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 536)
s.connect(("127.0.0.1", 8443))
with ctx.wrap_socket(s, server_hostname="api16-normal-c-useast1a.tiktokv.com") as t:
    pass
PY
stop_capture

# --- HTTP ---------------------------------------------------------------------------------------
mkdir -p "$work/www" && echo hello >"$work/www/index.html"
python3 -m http.server 8080 --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
pids+=($!)
wait_port t 8080
start_capture "$here/http-curl-sll2.pcap" any "tcp port 8080"
curl -s -o /dev/null -H 'Host: www.tiktok.com' http://127.0.0.1:8080/
stop_capture

# --- QUIC ---------------------------------------------------------------------------------------
# gtlsclient sends the SNI of the host name it connects to, so that name must resolve to us.
echo "127.0.0.1 v16-webapp.tiktokcdn.com" >"$work/hosts"
mount --bind "$work/hosts" /etc/hosts
gtlsserver --quiet 127.0.0.1 4433 "$work/key.pem" "$work/cert.pem" >/dev/null 2>&1 &
pids+=($!)
wait_port u 4433
start_capture "$here/quic-ngtcp2.pcap" lo "udp port 4433"
gtlsclient --quiet --exit-on-all-streams-close v16-webapp.tiktokcdn.com 4433 \
    https://v16-webapp.tiktokcdn.com/ >/dev/null 2>&1 || true
stop_capture

# --- one pcapng with all of them ----------------------------------------------------------------
mergecap -F pcapng -w "$here/all.pcapng" "$here"/dns-udp-tcp.pcap "$here"/tls-openssl.pcap \
    "$here"/tls-large-hello.pcap "$here"/http-curl-sll2.pcap "$here"/quic-ngtcp2.pcap
ls -l "$here"/*.pcap "$here"/*.pcapng
