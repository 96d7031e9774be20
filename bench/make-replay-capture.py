#!/usr/bin/env python3
"""Writes a large, deterministic pcap of tap-like traffic for the capture-replay benchmark.

Mix (per flow): 60% DNS (query + answer over UDP), 30% TLS over TCP (handshake, a ClientHello
with SNI and ALPN, some data, FIN), 10% QUIC (a client Initial taken from a real capture,
sample-data/captures/quic-ngtcp2.pcap, with the client address and port rewritten). About 1% of
names are TikTok/ByteDance names; the rest are ordinary. 20,000 client addresses. Ethernet,
IPv4, valid lengths; checksums are zero (the readers here do not verify them).

Two mixes:
- names (the default): each flow is only the packets that carry its name, one flow after another, so
  nearly every packet is a DNS message, a TCP handshake or a QUIC Initial.
- tap: as a tap sees a network, most packets are the data of flows whose name was already seen. The
  same flows, then each TLS connection carries a download after its hello (1448-byte segments from a
  heavy-tailed count, mean about 190, the client acknowledging every second one) and each QUIC connection
  the rest of the real ngtcp2 conversation, then more of its 1-RTT packets from both sides; 256 flows
  are open at a time and their packets interleave.

usage: make-replay-capture.py OUT.pcap [PACKETS] [names|tap]   (default 1,000,000 packets, names)
"""
import random
import struct
import sys

ORDINARY = ["www.google.com", "outlook.office365.com", "login.microsoftonline.com", "teams.microsoft.com",
            "www.belgium.be", "fonts.gstatic.com", "update.googleapis.com", "cdn.jsdelivr.net",
            "github.com", "api.github.com", "www.bbc.co.uk", "www.lesoir.be", "www.hln.be",
            "ec.europa.eu", "www.youtube.com", "i.ytimg.com", "graph.facebook.com", "www.linkedin.com",
            "ocsp.digicert.com", "ctldl.windowsupdate.com"]
TIKTOK = ["api16-normal-c-useast1a.tiktokv.com", "www.tiktok.com", "p16-sign-va.tiktokcdn.com",
          "mon.byteoversea.com", "v16-webapp-prime.tiktok.com", "editor-api-sg.capcutapi.com"]


def ip(n):
    return struct.pack(">I", n)


def eth_ipv4(src, dst, proto, payload):
    ip_header = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0, src, dst)
    return b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip_header + payload


def udp(sport, dport, payload):
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(sport, dport, seq, ack, flags, payload=b""):
    return struct.pack(">HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0) + payload


def dns_name(name):
    return b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\x00"


def dns_query(qid, name):
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dns_name(name) + b"\x00\x01\x00\x01"


def dns_answer(qid, name, address):
    answer = b"\xc0\x0c\x00\x01\x00\x01" + struct.pack(">IH", 300, 4) + address
    return struct.pack(">HHHHHH", qid, 0x8180, 1, 1, 0, 0) + dns_name(name) + b"\x00\x01\x00\x01" + answer


def client_hello(rng, name):
    sni = name.encode()
    ext_sni = struct.pack(">HHHBH", 0, len(sni) + 5, len(sni) + 3, 0, len(sni)) + sni
    protocols = b"\x02h2\x08http/1.1"
    ext_alpn = struct.pack(">HHH", 16, len(protocols) + 2, len(protocols)) + protocols
    ext_versions = b"\x00\x2b\x00\x03\x02\x03\x04"
    extensions = ext_sni + ext_alpn + ext_versions
    body = (b"\x03\x03" + rng.randbytes(32) + b"\x20" + rng.randbytes(32)
            + b"\x00\x06\x13\x01\x13\x02\x13\x03" + b"\x01\x00"
            + struct.pack(">H", len(extensions)) + extensions)
    handshake = b"\x01" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack(">H", len(handshake)) + handshake


def quic_conversation(path):
    """The UDP payloads of the one QUIC connection in a little-endian Ethernet pcap, as (from_client, payload);
    the server is port 4433."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 24
    packets = []
    while pos + 16 <= len(data):
        incl = struct.unpack("<I", data[pos + 8:pos + 12])[0]
        frame = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        ihl = (frame[14] & 0x0F) * 4
        if frame[23] == 17:
            udp_start = 14 + ihl
            packets.append((struct.unpack(">H", frame[udp_start + 2:udp_start + 4])[0] == 4433, frame[udp_start + 8:]))
    if not packets or not packets[0][0]:
        raise SystemExit(path + ": no QUIC Initial to port 4433")
    return packets


def flow_size(rng):
    """Data packets of one connection in the tap mix: heavy-tailed (Pareto), 50 to 3,000, mean about 190, so
    that, as on a real network, most packets belong to long flows and about 1% are DNS."""
    return min(int(rng.paretovariate(1.2) * 50), 3000)


def flow(rng, tap, quic):
    """The frames of one flow. The names mix draws from rng exactly as the generator always has."""
    client = ip(0x0A140000 + rng.randrange(20000))
    name = rng.choice(TIKTOK) if rng.random() < 0.01 else rng.choice(ORDINARY)
    sport = rng.randrange(1024, 65535)
    kind = rng.random()
    if kind < 0.6:
        resolver = ip(0x0A140035)
        qid = rng.randrange(65536)
        yield eth_ipv4(client, resolver, 17, udp(sport, 53, dns_query(qid, name)))
        yield eth_ipv4(resolver, client, 17, udp(53, sport, dns_answer(qid, name, rng.randbytes(4))))
    elif kind < 0.9:
        server = ip(0x17000000 + rng.randrange(1 << 20))
        seq, ack = rng.randrange(1 << 32), rng.randrange(1 << 32)
        hello = client_hello(rng, name)
        yield eth_ipv4(client, server, 6, tcp(sport, 443, seq, 0, 0x02))
        yield eth_ipv4(server, client, 6, tcp(443, sport, ack, seq + 1, 0x12))
        yield eth_ipv4(client, server, 6, tcp(sport, 443, seq + 1, ack + 1, 0x10))
        yield eth_ipv4(client, server, 6, tcp(sport, 443, seq + 1, ack + 1, 0x18, hello))
        client_seq, server_seq = seq + 1 + len(hello), ack + 1
        data = rng.randbytes(1200)
        for k in range(1 + (flow_size(rng) if tap else 0)):
            yield eth_ipv4(server, client, 6, tcp(443, sport, server_seq, client_seq, 0x18, data))
            server_seq += len(data)
            if k % 2 == 1:
                yield eth_ipv4(client, server, 6, tcp(sport, 443, client_seq, server_seq, 0x10))
            data = BULK[k % 40 * 1448:][:1448]
        yield eth_ipv4(client, server, 6, tcp(sport, 443, client_seq, server_seq, 0x11))
    else:
        server = ip(0x17100000 + rng.randrange(1 << 16))
        packets = quic[:1]
        if tap:
            one_rtt = [quic[-2], quic[-1]]  # the conversation ends with a server's 1-RTT packet and the client's ACK
            packets = quic + one_rtt * (flow_size(rng) // 2)
        for from_client, payload in packets:
            if from_client:
                yield eth_ipv4(client, server, 17, udp(sport, 443, payload))
            else:
                yield eth_ipv4(server, client, 17, udp(443, sport, payload))


# The bytes of the downloads in the tap mix (the stream is judged by then: only their lengths matter).
BULK = random.Random(1448).randbytes(40 * 1448)


def main():
    out = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    tap = (sys.argv[3] if len(sys.argv) > 3 else "names") == "tap"
    rng = random.Random(20261125)
    order = random.Random(4096)  # which open flow sends next (tap); apart so the names mix stays as it was
    quic = quic_conversation("sample-data/captures/quic-ngtcp2.pcap")
    t = 1795510800.0
    written = 0
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        flows = [flow(rng, tap, quic) for _ in range(256 if tap else 1)]
        while not (tap and written >= target):
            i = order.randrange(len(flows))
            frame = next(flows[i], None)
            if frame is None:
                if written >= target:
                    break  # names: whole flows, as before
                flows[i] = flow(rng, tap, quic)
                continue
            t += rng.random() * 0.0004
            sec = int(t)
            f.write(struct.pack("<IIII", sec, int((t - sec) * 1e6), len(frame), len(frame)) + frame)
            written += 1
    print(f"{out}: {written} packets")


if __name__ == "__main__":
    main()
