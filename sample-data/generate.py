#!/usr/bin/env python3
"""Writes the sample data set (see README.md): one hour, 2026-11-24 09:00-10:00 UTC, on a government
department network. Deterministic (fixed seed): rerun after editing the scenario, then update the counts
in README.md and SampleDataTest.

    python3 sample-data/generate.py
"""
import json
import os
import random

OUT = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(20261124)

T0 = 1795510800.0  # 2026-11-24T09:00:00Z
RESOLVER = "10.20.0.53"
ZEEK_SENSOR = "tap-hq-1"
SURI_SENSOR = "tap-hq-2"

QTYPES = {"A": 1, "NS": 2, "CNAME": 5, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33, "HTTPS": 65}
B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def at(minute, second):
    """Epoch seconds at 09:mm:ss plus a random sub-second part (microseconds, as Zeek writes them)."""
    return round(T0 + minute * 60 + second + rnd.randint(0, 999_999) / 1e6, 6)


def later(ts, lo=0.040, hi=0.120):
    return round(ts + rnd.uniform(lo, hi), 6)


def uid():
    return "C" + "".join(rnd.choice(B62) for _ in range(17))


def eport(windows=True):
    """An ephemeral client port: Windows 49152-65535, Linux/Android 32768-60999."""
    return rnd.randint(49152, 65535) if windows else rnd.randint(32768, 60999)


def hexid(n):
    return "".join(rnd.choice("0123456789abcdef") for _ in range(n))


# ---------------------------------------------------------------------------------------------- Zeek

zeek = {"dns": [], "ssl": [], "quic": [], "http": [], "conn": []}


def zhead(ts, orig, oport, resp, rport):
    return {"_system_name": ZEEK_SENSOR, "ts": ts, "uid": uid(), "id.orig_h": orig, "id.orig_p": oport,
            "id.resp_h": resp, "id.resp_p": rport}


def zdns(ts, client, query, qtype="A", answers=(), ttls=(), rcode="NOERROR", windows=True, conn=False):
    r = zhead(ts, client, eport(windows), RESOLVER, 53)
    r.update({"proto": "udp", "trans_id": rnd.randint(1, 65535), "rtt": round(rnd.uniform(0.0008, 0.031), 6),
              "query": query, "qclass": 1, "qclass_name": "C_INTERNET", "qtype": QTYPES[qtype], "qtype_name": qtype,
              "rcode": {"NOERROR": 0, "NXDOMAIN": 3}[rcode], "rcode_name": rcode, "AA": False, "TC": False,
              "RD": True, "RA": True, "Z": 0})
    if answers:
        r["answers"] = list(answers)
        r["TTLs"] = [float(t) for t in ttls]
    r["rejected"] = False
    zeek["dns"].append(r)
    if conn:
        zconn(r, "udp", "dns", r["rtt"], 40 + len(query), 120 + 40 * len(answers), "SF", "Dd", 1, 1)
    return r


def zssl(ts, client, server, sni, windows=True, version="TLSv13", conn=False):
    r = zhead(ts, client, eport(windows), server, 443)
    if version == "TLSv13":
        r.update({"version": "TLSv13", "cipher": rnd.choice(["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"]),
                  "curve": "X25519MLKEM768" if windows else "x25519"})
    else:
        r.update({"version": "TLSv12", "cipher": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "curve": "x25519"})
    if sni is not None:
        r["server_name"] = sni
    r.update({"resumed": False, "established": True, "ssl_history": "CsiI" if version == "TLSv13" else "CsxknGIi"})
    if version != "TLSv13":
        r["next_protocol"] = "h2"
        r["sni_matches_cert"] = True
    zeek["ssl"].append(r)
    if conn:
        zconn(r, "tcp", "ssl", round(rnd.uniform(2, 90), 6), rnd.randint(2000, 9000), rnd.randint(8000, 400000),
              "SF", "ShADadFf", rnd.randint(12, 60), rnd.randint(14, 300))
    return r


def zquic(ts, client, server, sni, windows=True):
    r = zhead(ts, client, eport(windows), server, 443)
    r.update({"version": "1", "client_initial_dcid": hexid(16), "server_scid": hexid(16), "server_name": sni,
              "client_protocol": "h3", "history": "ISishIhHhh"})
    zeek["quic"].append(r)
    return r


def zhttp(ts, client, server, host, uri, status, msg, ua, resp_len=0, mime=None, port=80):
    r = zhead(ts, client, eport(), server, port)
    r.update({"trans_depth": 1, "method": "GET", "host": host, "uri": uri, "version": "1.1", "user_agent": ua,
              "request_body_len": 0, "response_body_len": resp_len, "status_code": status, "status_msg": msg,
              "tags": []})
    if mime:
        r["resp_fuids"] = ["F" + "".join(rnd.choice(B62) for _ in range(17))]
        r["resp_mime_types"] = [mime]
    zeek["http"].append(r)
    return r


def zconn(rec, proto, service, duration, ob, rb, state, history, op, rp):
    c = {"_system_name": ZEEK_SENSOR, "ts": round(rec["ts"] - 0.0002, 6), "uid": rec["uid"],
         "id.orig_h": rec["id.orig_h"], "id.orig_p": rec["id.orig_p"], "id.resp_h": rec["id.resp_h"],
         "id.resp_p": rec["id.resp_p"], "proto": proto, "service": service, "duration": duration,
         "orig_bytes": ob, "resp_bytes": rb, "conn_state": state, "local_orig": True,
         "local_resp": rec["id.resp_h"].startswith("10."), "missed_bytes": 0, "history": history,
         "orig_pkts": op, "orig_ip_bytes": ob + 28 * op + (12 * op if proto == "tcp" else 0), "resp_pkts": rp,
         "resp_ip_bytes": rb + 28 * rp + (12 * rp if proto == "tcp" else 0),
         "ip_proto": 6 if proto == "tcp" else 17}
    zeek["conn"].append(c)


CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/142.0.0.0 Safari/537.36")
EDGE = CHROME + " Edg/142.0.0.0"

# --- 1. LAPTOP-0042 (10.20.1.15): TikTok in Chrome on Windows, 09:00-09:10; twice more at 09:12 --------------
L = "10.20.1.15"
AK_API = ["23.54.153.66", "23.54.153.74"]
AK_LOG = ["23.54.153.89", "23.54.153.91"]
AK_WWW = ["23.45.107.136", "23.45.107.152"]
AK_V16 = ["23.45.107.201"]
BYO = ["23.212.250.17"]
# ordinary morning traffic
t = at(0, 4); zdns(t, L, "login.microsoftonline.com", "A",
                   ["login.mso.msidentity.com", "ak.privatelink.msidentity.com", "www.tm.ak.prd.aadg.akadns.net",
                    "40.126.32.134", "20.190.160.20"], [2452, 80, 30, 238, 238], conn=True)
zssl(later(t), L, "40.126.32.134", "login.microsoftonline.com", conn=True)
t = at(0, 9); zdns(t, L, "outlook.office365.com", "A",
                   ["outlook.ha.office365.com", "outlook.ms-acdc.office.com", "52.97.146.162", "52.97.211.2"],
                   [174, 30, 6, 6])
zssl(later(t), L, "52.97.146.162", "outlook.office365.com", conn=True)
t = at(0, 41); zdns(t, L, "www.google.com", "A", ["142.250.179.196"], [172])
zssl(later(t), L, "142.250.179.196", "www.google.com")
zquic(at(0, 43), L, "142.250.179.196", "www.google.com")
zhttp(at(0, 58), L, "93.184.221.240", "ctldl.windowsupdate.com",
      "/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab?b2f1e3a0d7c4", 200, "OK",
      "Microsoft-CryptoAPI/10.0", 8234, "application/vnd.ms-cab-compressed")
# the user opens tiktok.com
t = at(1, 11); zdns(t, L, "www.tiktok.com", "A",                                                       # web
                    ["www.tiktok.com.edgekey.net", "e8913.dscx.akamaiedge.net"] + AK_WWW, [300, 21600, 20, 20])
zdns(later(t, 0.0005, 0.002), L, "www.tiktok.com", "HTTPS")                                             # web
zhttp(later(t, 0.045, 0.07), L, AK_WWW[0], "www.tiktok.com", "/", 301, "Moved Permanently", CHROME)     # web
zssl(later(t, 0.12, 0.2), L, AK_WWW[0], "www.tiktok.com", conn=True)                                   # web
t = at(1, 13); zdns(t, L, "v16-webapp-prime.tiktok.com", "A",                                          # web*
                    ["v16-webapp-prime.tiktok.com.edgesuite.net", "a2047.dscg.akamai.net"] + AK_V16, [60, 21600, 20])
zssl(later(t), L, AK_V16[0], "v16-webapp-prime.tiktok.com")                                            # web*
t = at(1, 14); zdns(t, L, "mon.byteoversea.com", "A",                                                  # app
                    ["mon.byteoversea.com.edgesuite.net", "a1591.dscb.akamai.net"] + BYO, [300, 21600, 20])
zssl(later(t), L, BYO[0], "mon.byteoversea.com")                                                        # app
zquic(at(1, 30), L, AK_WWW[1], "www.tiktok.com")                                                        # web
t = at(2, 40); zdns(t, L, "api16-normal-c-useast1a.tiktokv.com", "A",                                  # app
                    ["api16-normal-c-useast1a.tiktokv.com.edgesuite.net", "a1996.dscb.akamai.net"] + AK_API,
                    [300, 21600, 20, 20], conn=True)
zssl(later(t), L, AK_API[0], "api16-normal-c-useast1a.tiktokv.com", conn=True)                         # app
t = at(2, 41); zdns(t, L, "log16-normal-c-useast1a.tiktokv.com", "A",                                  # app
                    ["log16-normal-c-useast1a.tiktokv.com.edgesuite.net", "a1834.dscr.akamai.net"] + AK_LOG,
                    [300, 21600, 20, 20])
zssl(later(t), L, AK_LOG[0], "log16-normal-c-useast1a.tiktokv.com")                                    # app
t = at(3, 2); zdns(t, L, "outlook.office365.com", "A",
                   ["outlook.ha.office365.com", "outlook.ms-acdc.office.com", "52.97.211.2", "52.97.146.162"],
                   [60, 30, 6, 6])
t = at(4, 9); zdns(t, L, "log16-normal-c-useast1a.tiktokv.com", "A",                                   # app
                   ["log16-normal-c-useast1a.tiktokv.com.edgesuite.net", "a1834.dscr.akamai.net"] + AK_LOG[::-1],
                   [300, 21600, 20, 20])
zssl(later(t), L, AK_LOG[1], "log16-normal-c-useast1a.tiktokv.com")                                    # app
zquic(at(5, 0), L, AK_WWW[0], "www.tiktok.com")                                                         # web
t = at(6, 5); zdns(t, L, "api16-normal-c-useast1a.tiktokv.com", "A",                                   # app
                   ["api16-normal-c-useast1a.tiktokv.com.edgesuite.net", "a1996.dscb.akamai.net"] + AK_API[::-1],
                   [300, 21600, 20, 20])
zssl(later(t), L, AK_API[1], "api16-normal-c-useast1a.tiktokv.com")                                    # app
t = at(7, 15); zdns(t, L, "www.google.com", "A", ["142.250.179.196"], [300])
zssl(at(7, 16), L, "52.97.146.162", None, version="TLSv12")  # resumed Outlook session without SNI: ignored
t = at(8, 29); zdns(t, L, "mon.byteoversea.com", "A",                                                  # app
                    ["mon.byteoversea.com.edgesuite.net", "a1591.dscb.akamai.net"] + BYO, [300, 21600, 20])
zssl(later(t), L, BYO[0], "mon.byteoversea.com")                                                        # app
# 09:10-09:20: the app tab idles in the background: 2 hits, below the threshold
t = at(12, 30); zdns(t, L, "api16-normal-c-useast1a.tiktokv.com", "A",                                 # app
                     ["api16-normal-c-useast1a.tiktokv.com.edgesuite.net", "a1996.dscb.akamai.net"] + AK_API,
                     [300, 21600, 20, 20])
zssl(later(t), L, AK_API[0], "api16-normal-c-useast1a.tiktokv.com")                                    # app
t = at(14, 2); zdns(t, L, "login.microsoftonline.com", "A",
                    ["login.mso.msidentity.com", "ak.privatelink.msidentity.com", "www.tm.ak.prd.aadg.akadns.net",
                     "20.190.160.20", "40.126.32.134"], [2452, 80, 30, 238, 238])

# --- 3. DESK-0311 (10.20.3.8): a news page with an embedded TikTok video at 09:25: 6 CDN hits ---------------
D3 = "10.20.3.8"
t = at(25, 3); zdns(t, D3, "www.vrt.be", "A", ["www.vrt.be.cdn.cloudflare.net", "104.18.28.204", "104.18.29.204"],
                    [300, 300, 300])
zssl(later(t), D3, "104.18.28.204", "www.vrt.be", conn=True)
t = at(25, 4); zdns(t, D3, "sf16-website-login.neutral.ttwstatic.com", "A",                            # cdn
                    ["sf16-website-login.neutral.ttwstatic.com.edgesuite.net", "a1244.dscd.akamai.net",
                     "2.16.241.9", "2.16.241.26"], [300, 21600, 20, 20])
zssl(later(t), D3, "2.16.241.9", "sf16-website-login.neutral.ttwstatic.com")                           # cdn
t = at(25, 5); zdns(t, D3, "lf16-tiktok-web.tiktokcdn-us.com", "A",                                    # cdn
                    ["lf16-tiktok-web.tiktokcdn-us.com.edgesuite.net", "a2145.dscg.akamai.net", "2.16.241.66"],
                    [300, 21600, 20])
zssl(later(t), D3, "2.16.241.66", "lf16-tiktok-web.tiktokcdn-us.com")                                   # cdn
t = at(25, 7); zdns(t, D3, "p16-pu-sign-useast8.tiktokcdn-us.com", "A",                                # cdn
                    ["p16-pu-sign-useast8.tiktokcdn-us.com.akamaized.net", "a1778.dscr.akamai.net", "2.16.241.83"],
                    [300, 21600, 20])
zssl(later(t), D3, "2.16.241.83", "p16-pu-sign-useast8.tiktokcdn-us.com")                               # cdn
t = at(26, 40); zdns(t, D3, "static.vrt.be", "A", ["static.vrt.be.cdn.cloudflare.net", "104.18.28.204"],
                     [300, 300])

# --- 4. DESK-0420 (10.20.4.21): look-alike names and ordinary sites, 09:40-09:48: no hit -----------------
D4 = "10.20.4.21"
near = [
    (40, 2, "aaatiktok.com", "dns"), (40, 3, "aaatiktok.com", "ssl"),
    (40, 50, "tiktok.com.evil.example", "dns"), (41, 12, "nottiktok.com", "dns"),
    (41, 13, "nottiktok.com", "ssl"), (42, 5, "mytiktokcdn.net", "dns"),
    (42, 40, "tiktokv.com.attacker.test", "dns"), (43, 1, "xn--tiktk-mye.com", "dns"),  # tiktоk.com, Cyrillic о
    (43, 30, "instagram.com", "dns"), (43, 31, "instagram.com", "ssl"),
    (44, 10, "www.snapchat.com", "dns"), (44, 11, "www.snapchat.com", "ssl"),
    (45, 0, "wWw.YouTube.com", "dns"), (45, 1, "www.youtube.com", "quic"),
    (46, 20, "bytedancefan.blog.example", "dns"), (46, 21, "bytedancefan.blog.example.", "http"),
    (47, 2, "Outlook.Office365.COM", "dns"), (47, 3, "outlook.office365.com", "ssl"),
    (47, 45, "WWW.GOOGLE.COM.", "http"),
]
for m, s, name, log in near:
    t = at(m, s)
    ip = "198.51.100.%d" % rnd.randint(10, 250)
    if log == "dns":
        if name in ("tiktok.com.evil.example", "tiktokv.com.attacker.test", "xn--tiktk-mye.com"):
            zdns(t, D4, name, "A", rcode="NXDOMAIN")
        else:
            zdns(t, D4, name, "A", [ip], [300])
    elif log == "ssl":
        zssl(t, D4, ip, name)
    elif log == "quic":
        zquic(t, D4, "142.250.179.206", name)
    else:
        zhttp(t, D4, ip, name, "/", 301, "Moved Permanently", EDGE)
zconn(zeek["dns"][-1], "udp", "dns", 0.001204, 37, 53, "SF", "Dd", 1, 1)
# NTP and NetBIOS noise in conn.log only
zeek["conn"].append({"_system_name": ZEEK_SENSOR, "ts": at(30, 0), "uid": uid(), "id.orig_h": D4, "id.orig_p": 123,
                     "id.resp_h": "10.20.0.1", "id.resp_p": 123, "proto": "udp", "service": "ntp",
                     "duration": 0.000511, "orig_bytes": 48, "resp_bytes": 48, "conn_state": "SF",
                     "local_orig": True, "local_resp": True, "missed_bytes": 0, "history": "Dd", "orig_pkts": 1,
                     "orig_ip_bytes": 76, "resp_pkts": 1, "resp_ip_bytes": 76, "ip_proto": 17})
zeek["conn"].append({"_system_name": ZEEK_SENSOR, "ts": at(33, 17), "uid": uid(), "id.orig_h": D3,
                     "id.orig_p": 137, "id.resp_h": "10.20.3.255", "id.resp_p": 137, "proto": "udp",
                     "duration": 1.500612, "orig_bytes": 150, "resp_bytes": 0, "conn_state": "S0",
                     "local_orig": True, "local_resp": True, "missed_bytes": 0, "history": "D", "orig_pkts": 3,
                     "orig_ip_bytes": 234, "resp_pkts": 0, "resp_ip_bytes": 0, "ip_proto": 17})

# ---------------------------------------------------------------------------------------------- Suricata

eve = []


def iso_local(ts):
    """Suricata writes local time with its offset: Brussels is UTC+1 in November."""
    whole = int(ts)
    micros = round((ts - whole) * 1e6)
    if micros == 1_000_000:
        whole, micros = whole + 1, 0
    import datetime
    d = datetime.datetime.fromtimestamp(whole, datetime.timezone(datetime.timedelta(hours=1)))
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".%06d+0100" % micros


def flow_id():
    return rnd.randint(10 ** 14, 2 ** 51)


def ev(ts, etype, src, sport, dst, dport, proto, key=None, body=None, fid=None, **extra):
    e = {"timestamp": iso_local(ts), "flow_id": fid or flow_id(), "in_iface": "ens1f1", "event_type": etype,
         "src_ip": src, "src_port": sport, "dest_ip": dst, "dest_port": dport, "ip_v": 4, "proto": proto,
         "pkt_src": "wire/pcap"}
    e.update(extra)
    if key:
        e[key] = body
    e["host"] = SURI_SENSOR
    eve.append((ts, e))
    return e


def sdns_v2_query(ts, client, name, rrtype="A"):
    p = eport(False); fid = flow_id(); txid = rnd.randint(1, 65535)
    ev(ts, "dns", client, p, RESOLVER, 53, "UDP", "dns",
       {"type": "query", "id": txid, "rrname": name, "rrtype": rrtype, "tx_id": 0, "opcode": 0}, fid)
    return p, fid, txid


def sdns_v2_answer(ts, client, p, fid, txid, name, rrtype, answers, grouped=False):
    body = {"version": 2, "type": "answer", "id": txid, "flags": "8180", "qr": True, "rd": True, "ra": True,
            "opcode": 0, "rrname": name, "rrtype": rrtype, "rcode": "NOERROR"}
    if grouped:
        g = {}
        for (_, t, _, data) in answers:
            g.setdefault(t, []).append(data)
        body["grouped"] = g
    else:
        body["answers"] = [{"rrname": n, "rrtype": t, "ttl": ttl, "rdata": data} for (n, t, ttl, data) in answers]
    # Suricata 7 logs a response in flow direction: the client stays in src_ip.
    ev(ts, "dns", client, p, RESOLVER, 53, "UDP", "dns", body, fid)


def sdns_v3_request(ts, client, name, rrtype="A"):
    p = eport(False); fid = flow_id(); txid = rnd.randint(1, 65535)
    ev(ts, "dns", client, p, RESOLVER, 53, "UDP", "dns",
       {"version": 3, "type": "request", "tx_id": 0, "id": txid, "flags": "100", "rd": True, "opcode": 0,
        "rcode": "NOERROR", "queries": [{"rrname": name, "rrtype": rrtype}]}, fid)
    return p, fid, txid


def sdns_v3_response(ts, client, p, fid, txid, name, rrtype, answers):
    # Suricata 8: the responder is src_ip.
    ev(ts, "dns", RESOLVER, 53, client, p, "UDP", "dns",
       {"version": 3, "type": "response", "tx_id": 1, "id": txid, "flags": "8180", "qr": True, "rd": True,
        "ra": True, "opcode": 0, "rcode": "NOERROR", "queries": [{"rrname": name, "rrtype": rrtype}],
        "answers": [{"rrname": n, "rrtype": t, "ttl": ttl, "rdata": data} for (n, t, ttl, data) in answers]}, fid)


def stls(ts, client, server, sni, ja4="t13d1516h2_8daaf6152771_02713d6af862", alpns=("h2", "http/1.1"),
         version="TLS 1.3"):
    body = {"version": version, "ja4": ja4}
    if sni is not None:
        body = {"sni": sni, **body}
    if alpns:
        body["client_alpns"] = list(alpns)
    ev(ts, "tls", client, eport(False), server, 443, "TCP", "tls", body)


def squic(ts, client, server, sni, ua="Cronet/135.0.7049.111"):
    ev(ts, "quic", client, eport(False), server, 443, "UDP", "quic",
       {"version": "1", "sni": sni, "ua": ua, "ja4": "q13d0312h3_55b375c5d22e_7bf4a1c8c13c"})


P = "10.20.2.33"
OKHTTP = "t13d1713h2_5b57614c22b0_748f4c70de1c"
# 09:00-09:08: tap-hq-2 still runs Suricata 7.0 (EVE v2 DNS); ordinary traffic of the phone and a printer.
t = at(0, 17); p, fid, tx = sdns_v2_query(t, P, "connectivitycheck.gstatic.com")
sdns_v2_answer(later(t, 0.002, 0.03), P, p, fid, tx, "connectivitycheck.gstatic.com", "A",
               [("connectivitycheck.gstatic.com", "A", 239, "142.250.179.195")])
ev(at(0, 18), "http", P, eport(False), "142.250.179.195", 80, "TCP", "http",
   {"hostname": "connectivitycheck.gstatic.com", "url": "/generate_204",
    "http_user_agent": "Dalvik/2.1.0 (Linux; U; Android 15; SM-S921B Build/AP3A.240905.015.A2)",
    "http_method": "GET", "protocol": "HTTP/1.1", "status": 204, "length": 0}, tx_id=0)
t = at(2, 2); p, fid, tx = sdns_v2_query(t, "10.20.2.50", "time.windows.com")
sdns_v2_answer(later(t, 0.002, 0.03), "10.20.2.50", p, fid, tx, "time.windows.com", "A",
               [("time.windows.com", "CNAME", 1200, "twc.trafficmanager.net"),
                ("twc.trafficmanager.net", "A", 10, "51.145.123.29")], grouped=True)
t = at(4, 31); p, fid, tx = sdns_v2_query(t, P, "android.googleapis.com")
sdns_v2_answer(later(t, 0.002, 0.03), P, p, fid, tx, "android.googleapis.com", "A",
               [("android.googleapis.com", "A", 300, "142.250.179.202")])
stls(later(t, 0.05, 0.1), P, "142.250.179.202", "android.googleapis.com", ja4=OKHTTP)
ev(at(6, 0), "alert", "10.20.2.50", 5353, "224.0.0.251", 5353, "UDP", "alert",
   {"action": "allowed", "gid": 1, "signature_id": 2200075, "rev": 2,
    "signature": "SURICATA UDPv4 invalid checksum", "category": "Generic Protocol Command Decode", "severity": 3},
   app_proto="failed")
ev(at(8, 0), "stats", None, None, None, None, None, "stats",
   {"uptime": 2591880, "capture": {"kernel_packets": 918340112, "kernel_drops": 1204},
    "decoder": {"pkts": 918338908, "bytes": 661284905114, "ipv4": 905118020, "ipv6": 13220888, "tcp": 702228112,
                "udp": 214407130},
    "app_layer": {"flow": {"dns_udp": 1288411, "tls": 2101877, "quic": 488120, "http": 30112}}})
# 09:08:40: the sensor is upgraded to Suricata 8.0 and restarts: EVE v3 DNS from here on.
ev(at(9, 30), "stats", None, None, None, None, None, "stats",
   {"uptime": 41, "capture": {"kernel_packets": 301122, "kernel_drops": 0},
    "decoder": {"pkts": 301122, "bytes": 208113021, "ipv4": 296001, "ipv6": 5121, "tcp": 231880, "udp": 69242},
    "app_layer": {"flow": {"dns_udp": 402, "tls": 611, "quic": 133, "http": 9}}})
for k in ("src_ip", "src_port", "dest_ip", "dest_port", "ip_v", "proto", "flow_id", "in_iface", "pkt_src"):
    for _, e in eve[-2:]:
        e.pop(k, None)

# --- 2. PHONE-0107 (10.20.2.33): TikTok Android app, 09:12-09:18 (12 hits), again at 09:41 (3 hits) -----
A_SG = "23.219.172.16"
C_SG = "23.48.210.17"
L_SG = "23.48.210.30"
CDN = "2.16.241.120"
t = at(12, 3); sdns_v3_request(t, P, "api22-normal-c-alisg.tiktokv.com")                               # app
stls(later(t, 0.04, 0.09), P, A_SG, "api22-normal-c-alisg.tiktokv.com", ja4=OKHTTP)                    # app
t = at(12, 5); sdns_v3_request(t, P, "api16-core-c-alisg.tiktokv.com")                                 # app
stls(later(t, 0.04, 0.09), P, C_SG, "api16-core-c-alisg.tiktokv.com", ja4=OKHTTP)                      # app
ev(later(t, 0.2, 0.4), "alert", P, eport(False), C_SG, 443, "TCP", "alert",
   {"action": "allowed", "gid": 1, "signature_id": 9000101, "rev": 1,
    "signature": "LOCAL POLICY TikTok API host in TLS SNI", "category": "Potential Corporate Privacy Violation",
    "severity": 2}, app_proto="tls")
t = at(12, 9); sdns_v3_request(t, P, "log22-normal-alisg.tiktokv.com")                                 # app
stls(later(t, 0.04, 0.09), P, L_SG, "log22-normal-alisg.tiktokv.com", ja4=OKHTTP)                      # app
t = at(13, 20); sdns_v3_request(t, P, "p16-sign-va.tiktokcdn.com")                                     # cdn
squic(later(t, 0.04, 0.09), P, CDN, "p16-sign-va.tiktokcdn.com")                                       # cdn
t = at(15, 40); sdns_v3_request(t, P, "api22-normal-c-alisg.tiktokv.com")                              # app
stls(later(t, 0.04, 0.09), P, A_SG, "api22-normal-c-alisg.tiktokv.com", ja4=OKHTTP)                    # app
t = at(16, 2); p, fid, tx = sdns_v3_request(t, P, "www.gstatic.com")
sdns_v3_response(later(t, 0.002, 0.03), P, p, fid, tx, "www.gstatic.com", "A", [("www.gstatic.com", "A", 300, "142.250.179.195")])
stls(at(17, 55), P, L_SG, "log22-normal-alisg.tiktokv.com", ja4=OKHTTP)                                # app
t = at(18, 10); sdns_v3_request(t, P, "p16-sign-sg.tiktokcdn.com")                                     # cdn
ev(at(18, 30), "flow", P, eport(False), A_SG, 443, "TCP", "flow",
   {"pkts_toserver": 412, "pkts_toclient": 655, "bytes_toserver": 61208, "bytes_toclient": 812330,
    "start": iso_local(T0 + 12 * 60 + 3.6), "end": iso_local(T0 + 18 * 60 + 29.9), "age": 386, "state": "closed",
    "reason": "timeout", "alerted": False}, app_proto="tls")
t = at(41, 7); sdns_v3_request(t, P, "api16-core-c-alisg.tiktokv.com")                                 # app
stls(later(t, 0.04, 0.09), P, C_SG, "api16-core-c-alisg.tiktokv.com", ja4=OKHTTP)                      # app
stls(at(41, 9), P, L_SG, "log22-normal-alisg.tiktokv.com", ja4=OKHTTP)                                 # app
t = at(41, 40); p, fid, tx = sdns_v3_request(t, P, "connectivitycheck.gstatic.com")
sdns_v3_response(later(t, 0.002, 0.03), P, p, fid, tx, "connectivitycheck.gstatic.com", "A",
                 [("connectivitycheck.gstatic.com", "A", 300, "142.250.179.195")])
stls(at(42, 0), P, "142.250.179.202", None, ja4=OKHTTP, alpns=None)  # no SNI: ignored

# --- 6. 10.20.5.9 (not in inventory): one Lemon8 and two Douyin hits, 09:22-09:24: below the threshold ---
U = "10.20.5.9"
stls(at(22, 14), U, "23.62.226.100", "www.lemon8-app.com")                                             # lemon8
t = at(23, 50); sdns_v3_request(t, U, "www.douyin.com")                                                # douyin
stls(later(t, 0.05, 0.12), U, "122.14.229.100", "www.douyin.com")                                      # douyin
ev(at(24, 30), "anomaly", U, eport(False), "10.20.0.53", 53, "UDP", "anomaly",
   {"app_proto": "dns", "type": "applayer", "event": "MALFORMED_DATA", "layer": "proto_parser"})

# ---------------------------------------------------------------------------------------------- own format

own = []


def orec(ts, sensor, kind, client, cport, server, sport, name, transport=None, qtype=None, answers=None,
         alpn=None, device_id=None, mac=None):
    import datetime
    d = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    r = {"ts": d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000), "sensor": sensor,
         "kind": kind, "transport": transport or ("udp" if kind in ("dns", "quic") else "tcp"),
         "client_ip": client, "client_port": cport, "server_ip": server, "server_port": sport, "name": name}
    if qtype:
        r["qtype"] = qtype
    if answers is not None:
        r["answers"] = [{"type": ty, "data": da, "ttl": tt} for (ty, da, tt) in answers]
    if alpn:
        r["alpn"] = alpn
    if device_id:
        r["device_id"] = device_id
    if mac:
        r["mac"] = mac
    own.append((ts, r))


# --- 5. TABLET-0007 (MAC 3c:22:fb:7a:10:05) seen by the NAC gateway; DHCP moves it from .40 to .77 ---------
MAC = "3c:22:fb:7a:10:05"
IP1, IP2 = "10.20.6.40", "10.20.6.77"
CC = "23.62.226.140"
t = at(29, 50); orec(t, "nac-gw", "dns", IP1, eport(False), RESOLVER, 53, "gateway.icloud.com", qtype="A",
                     answers=[("CNAME", "gateway.fe2.apple-dns.net", 3600), ("A", "17.248.245.36", 19)], mac=MAC)
orec(later(t), "nac-gw", "tls", IP1, eport(False), "17.248.245.36", 443, "gateway.icloud.com", alpn=["h2", "http/1.1"],
     mac=MAC)
t = at(31, 2); orec(t, "nac-gw", "dns", IP1, eport(False), RESOLVER, 53, "mobile.capcut.com", qtype="A",    # capcut
                    answers=[("CNAME", "mobile.capcut.com.edgesuite.net", 300), ("A", CC, 20)], mac=MAC)
orec(later(t), "nac-gw", "tls", IP1, eport(False), CC, 443, "mobile.capcut.com", alpn=["h2", "http/1.1"],    # capcut
     mac=MAC)
t = at(32, 16); orec(t, "nac-gw", "dns", IP1, eport(False), RESOLVER, 53, "editor-api-sg.capcutapi.com",    # capcut
                     qtype="A", answers=[("CNAME", "editor-api-sg.capcutapi.com.edgesuite.net", 300),
                                         ("A", "23.62.226.141", 20)], mac=MAC)
orec(later(t), "nac-gw", "tls", IP1, eport(False), "23.62.226.141", 443, "editor-api-sg.capcutapi.com",       # capcut
     alpn=["h2", "http/1.1"], mac=MAC)
# 09:33: the lease is renewed with a new address
orec(at(34, 1), "nac-gw", "tls", IP2, eport(False), "23.62.226.141", 443, "editor-api-sg.capcutapi.com",      # capcut
     alpn=["h2", "http/1.1"], mac=MAC)
t = at(35, 22); orec(t, "nac-gw", "dns", IP2, eport(False), RESOLVER, 53, "sf16-va.capcutapi.com",           # capcut
                     qtype="A", answers=[("CNAME", "sf16-va.capcutapi.com.akamaized.net", 300),
                                         ("A", "23.62.226.150", 20)], mac=MAC)
orec(later(t), "nac-gw", "quic", IP2, eport(False), "23.62.226.150", 443, "sf16-va.capcutapi.com", alpn=["h3"],  # capcut
     mac=MAC)
orec(at(36, 40), "nac-gw", "tls", IP2, eport(False), "17.248.245.36", 443, "gateway.icloud.com",
     alpn=["h2", "http/1.1"], mac=MAC)

# A managed laptop whose NAC asserts the device id; ordinary traffic only.
M = "10.20.6.12"
for (m, s, name, kind, server) in [(5, 40, "www.belgium.be", "dns", RESOLVER), (5, 41, "www.belgium.be", "tls", "195.244.180.40"),
                                   (27, 3, "teams.microsoft.com", "dns", RESOLVER),
                                   (27, 4, "teams.microsoft.com", "tls", "52.123.129.14")]:
    orec(at(m, s), "nac-gw", kind, M, eport(), server, 53 if kind == "dns" else 443, name,
         qtype="A" if kind == "dns" else None, device_id="LAPTOP-0113", mac="f4:6b:8c:21:0e:93")

# --- 7. 10.20.7.2 (not in inventory): case, trailing-dot and punycode forms, 09:50-09:58: medium ----------
S = "10.20.7.2"
AKB = "23.45.107.140"
orec(at(50, 11), "branch-fw-7", "dns", S, eport(), RESOLVER, 53, "WWW.TIKTOK.COM.", qtype="A",                 # web
     answers=[("CNAME", "www.tiktok.com.edgekey.net", 300), ("A", AKB, 20)])
orec(at(51, 30), "branch-fw-7", "http", S, eport(), AKB, 80, "M.TikTok.com")                                    # web
orec(at(52, 2), "branch-fw-7", "dns", S, eport(), RESOLVER, 53, "Api16-Normal-C-Useast1a.TikTokV.com", qtype="A")  # app
orec(at(52, 3), "branch-fw-7", "tls", S, eport(), "23.54.153.66", 443, "api16-normal-c-useast1a.tiktokv.com.")  # app
orec(at(55, 48), "branch-fw-7", "dns", S, eport(), RESOLVER, 53, "Bytedance.COM.", qtype="A")                   # bytedance
orec(at(57, 59), "branch-fw-7", "tls", S, eport(), "23.45.107.171", 443, "xn--fiq228c.bytedance.com")          # bytedance (中文.bytedance.com)
orec(at(58, 20), "branch-fw-7", "dns", S, eport(), RESOLVER, 53, "www.microsoft.com", qtype="A")

# ---------------------------------------------------------------------------------------------- write


def dump(path, lines):
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")


def js(o):
    return json.dumps(o, ensure_ascii=False, separators=(",", ":"))


for log, recs in zeek.items():
    recs.sort(key=lambda r: r["ts"])
    dump("zeek/%s.log" % log, [js(r) for r in recs])
eve.sort(key=lambda p: p[0])
dump("suricata/eve.json", [js(e) for _, e in eve])
own.sort(key=lambda p: p[0])
dump("own/flows.jsonl", [js(r) for _, r in own])

dump("devices.csv", [
    "match,device_id,owner,department",
    "10.20.1.15,LAPTOP-0042,j.peeters,Finance",
    "10.20.2.33,PHONE-0107,a.dubois,Legal",
    "10.20.3.8,DESK-0311,m.jansen,Communications",
    "10.20.4.21,DESK-0420,k.nowak,IT",
    "3c:22:fb:7a:10:05,TABLET-0007,s.maes,Cabinet",
    "10.20.8.0/24,PRINTERS-FLOOR8,facilities,Facilities",
    "6a:1f:3c:90:22:01,PHONE-0230,e.claes,Education",
    "6A-1F-3C-90-22-02,PHONE-0231,l.dupont,Education",
])

good1 = {"ts": "2026-11-24T09:44:10.318Z", "sensor": "nac-gw", "kind": "dns", "transport": "udp",
         "client_ip": "10.20.6.12", "client_port": 61544, "server_ip": RESOLVER, "server_port": 53,
         "name": "www.belgium.be", "qtype": "A", "device_id": "LAPTOP-0113", "mac": "f4:6b:8c:21:0e:93"}
good2 = {"ts": "2026-11-24T09:44:12.530Z", "sensor": "nac-gw", "kind": "tls", "transport": "tcp",
         "client_ip": "10.20.6.12", "client_port": 61546, "server_ip": "195.244.180.40", "server_port": 443,
         "name": "www.belgium.be", "alpn": ["h2", "http/1.1"], "device_id": "LAPTOP-0113", "mac": "f4:6b:8c:21:0e:93"}
dump("malformed.jsonl", [
    js(good1),
    "nac-gw: connection reset by peer, resending batch 1182",
    '{"ts":"2026-11-24T09:44:11.002Z","sensor":"nac-gw","kind":"tls","transport":"tcp","client_ip":"10.20.6.12","clie',
    '{"ts":"2026-11-24T09:44:11.240Z","sensor":"nac-gw","kind":"tls","transport":"tcp","client_ip":"10.20.6.12",'
    '"client_port":61551,"server_ip":"52.123.129.14","server_port":443}',
    '{"ts":"24/11/2026 09:44:12","sensor":"nac-gw","kind":"dns","transport":"udp","client_ip":"10.20.6.12",'
    '"client_port":61560,"server_ip":"10.20.0.53","server_port":53,"name":"teams.microsoft.com","qtype":"A"}',
    "1795513452.118204\tCz8QkE1bW3nXf7Hk2a\t10.20.6.12\t61561\t10.20.0.53\t53\tudp\tteams.microsoft.com",
    js(good2),
])
# ---------------------------------------------------------------------------------------------- Wi-Fi: bindings
# Devices known to the network only by DHCP and NAC: no MAC in their flows. PHONE-0230 roams from 10.20.9.40 to
# 10.20.9.77 mid-window (release, new lease, 802.1X session); PHONE-0231 gets 10.20.9.40 next. Written after the rest,
# with an RNG of its own, so the files above stay byte for byte what they were.
rnd = random.Random(20261124 + 9)
SURI_SENSOR = "tap-wifi"
eve = []
A, B = "6a:1f:3c:90:22:01", "6a:1f:3c:90:22:02"
OLD, NEW = "10.20.9.40", "10.20.9.77"
GW = "10.20.9.1"

zeek_dhcp = [
    {"ts": at(0, 40), "uids": [uid()], "client_addr": OLD, "server_addr": "10.20.0.1", "mac": A,
     "host_name": "Pixel-8-ec", "domain": "gov.example", "assigned_addr": OLD, "lease_time": 1800.0,
     "msg_types": ["DISCOVER", "OFFER", "REQUEST", "ACK"], "duration": 0.012},
    {"ts": at(5, 10), "uids": [uid()], "client_addr": OLD, "server_addr": "10.20.0.1", "mac": A,
     "msg_types": ["RELEASE"], "duration": 0.0},
    # an exchange without an answer: binds nothing
    {"ts": at(12, 3), "uids": [uid()], "mac": "b2:41:0c:5e:77:10", "host_name": "visitor-laptop",
     "msg_types": ["DISCOVER"], "duration": 0.0},
]
for r in zeek_dhcp:
    r["_system_name"] = ZEEK_SENSOR


def sdhcp_ack(ts, mac, ip, extended, lease=3600, hostname=None):
    body = {"type": "reply", "id": rnd.randint(1, 2 ** 32 - 1), "client_mac": mac, "assigned_ip": ip}
    if extended:
        body.update({"relay_ip": GW, "next_server_ip": "0.0.0.0"})
    body["dhcp_type"] = "ack"
    if extended:
        body.update({"lease_time": lease, "renewal_time": lease // 2, "rebinding_time": lease * 7 // 8,
                     "subnet_mask": "255.255.255.0", "routers": [GW], "hostname": hostname, "dns_servers": [RESOLVER]})
    else:
        body["renewal_time"] = lease // 2
    ev(ts, "dhcp", "10.20.0.1", 67, ip, 68, "UDP", "dhcp", body)


# PHONE-0230 on 10.20.9.40: 3 hits
t = at(1, 2); stls(t, OLD, "23.54.153.66", "api16-normal-c-useast1a.tiktokv.com", ja4=OKHTTP)      # tiktok-app
t = at(2, 15); sdns_v3_request(t, OLD, "api-h2.tiktokv.com")                                          # tiktok-app
t = at(3, 40); stls(t, OLD, "2.16.186.33", "p16-sign-va.tiktokcdn.com", ja4=OKHTTP)                 # tiktok-cdn
t = at(4, 5); stls(t, OLD, "142.250.179.196", "www.google.com", ja4=OKHTTP)
# roams: release (Zeek above), a new lease on 10.20.9.77 (extended EVE: lease_time, hostname), then 3 hits
sdhcp_ack(at(5, 30), A, NEW, True, 3600, "Pixel-8-ec")
t = at(6, 12); stls(t, NEW, "23.54.153.66", "api16-normal-c-useast1a.tiktokv.com", ja4=OKHTTP)     # tiktok-app
t = at(7, 48); squic(t, NEW, "23.54.153.67", "api16-core-c-useast1a.tiktokv.com")                   # tiktok-app
t = at(8, 31); sdns_v3_request(t, NEW, "log16-normal-c-useast1a.tiktokv.com")                        # tiktok-app
# PHONE-0231 gets 10.20.9.40 (EVE without extended: the lease is estimated from renewal_time): 2 hits
sdhcp_ack(at(7, 10), B, OLD, False, 1800)
t = at(8, 2); stls(t, OLD, "23.54.153.66", "api16-normal-c-useast1a.tiktokv.com", ja4=OKHTTP)      # tiktok-app
t = at(9, 14); sdns_v3_request(t, OLD, "api-h2.tiktokv.com")                                          # tiktok-app
eve.sort(key=lambda p: p[0])
dump("suricata/eve-wifi.json", [js(e) for _, e in eve])
dump("zeek/dhcp.log", [js(r) for r in zeek_dhcp])


def nac(ts, binding, **fields):
    return {"binding": binding, "ts": iso(ts), **fields}


def iso(ts):
    import datetime
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


SESSION = "%08x" % rnd.getrandbits(32)
dump("own/nac-accounting.jsonl", [js(r) for r in [
    nac(at(5, 40), "start", ip=NEW, mac=A.upper(), user_name="e.claes", session_id=SESSION, nas_id="wlc-hq-2",
        sensor="nac-gw"),
    nac(at(15, 40), "interim", ip=NEW, mac=A.upper(), user_name="e.claes", session_id=SESSION, nas_id="wlc-hq-2",
        sensor="nac-gw"),
    nac(at(25, 40), "stop", ip=NEW, mac=A.upper(), session_id=SESSION, nas_id="wlc-hq-2", sensor="nac-gw"),
    nac(at(50, 0), "accounting-off", nas_id="wlc-hq-3", sensor="nac-gw"),
]])
print("written to", OUT)
