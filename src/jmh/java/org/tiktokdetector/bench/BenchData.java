package org.tiktokdetector.bench;

import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistRule;
import org.tiktokdetector.match.MatchType;
import org.tiktokdetector.records.Category;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic test data for every benchmark: ordinary names (which must not match), TikTok/ByteDance
 * names, generated lists, and log lines in each dialect. Same seed, same data, on every machine.
 */
public final class BenchData {
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "ber", "dan", "fel",
            "gor", "hul", "jas", "kin", "lum", "mor", "nix", "pol", "quo", "ras", "sel", "tor", "ul", "ven", "wix",
            "yar", "zen", "shop", "news", "bank", "cloud", "data", "media", "soft", "net", "web", "mail"};
    private static final String[] TLDS = {"com", "com", "com", "com", "net", "org", "be", "de", "fr", "nl", "eu",
            "io", "co.uk", "gov", "edu", "info"};
    private static final String[] PREFIXES = {"", "www.", "www.", "api.", "cdn.", "static.", "img.", "login.",
            "mail.", "m.", "assets.", "s3.eu-west-1.", "update.", "telemetry.", "ocsp.", "clients4."};
    /** Names the apps and embeds really resolve (every one is on the default list). */
    public static final String[] TIKTOK_NAMES = {"api16-normal-c-useast1a.tiktokv.com", "api22-normal-c-alisg.tiktokv.com",
            "log16-normal-c-useast1a.tiktokv.com", "mon.byteoversea.com", "www.tiktok.com", "m.tiktok.com",
            "v16-webapp-prime.tiktok.com", "p16-sign-va.tiktokcdn.com", "v16m.tiktokcdn-us.com", "sf16-website-login.neutral.ttwstatic.com",
            "lf16-tiktok-web.tiktokcdn-us.com", "editor-api-sg.capcutapi.com", "mobile.capcut.com", "lf16-cdn-tos.bytegoofy.com.ibyteimg.com",
            "api-h2.tiktokv.eu", "mcs-va.tiktokv.com", "im-api-va.tiktokv.com", "www.bytedance.com", "api.lemon8-app.com", "www.douyin.com"};

    private final SplittableRandom random;

    public BenchData(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public SplittableRandom random() {
        return random;
    }

    /** A registrable-looking word: 2-4 syllables, sometimes with a number or a hyphen. */
    public String word() {
        StringBuilder b = new StringBuilder();
        int n = 2 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (i > 0 && random.nextInt(12) == 0) {
                b.append('-');
            }
            b.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        if (random.nextInt(4) == 0) {
            b.append(random.nextInt(1000));
        }
        return b.toString();
    }

    /** An ordinary host name as sensors log it: a prefix, a word, a TLD; now and then upper case or a trailing dot. */
    public String ordinaryName() {
        String name = PREFIXES[random.nextInt(PREFIXES.length)] + word() + "." + TLDS[random.nextInt(TLDS.length)];
        int quirk = random.nextInt(100);
        if (quirk == 0) {
            return name.toUpperCase(java.util.Locale.ROOT);
        }
        return quirk == 1 ? name + "." : name;
    }

    public String tiktokName() {
        return TIKTOK_NAMES[random.nextInt(TIKTOK_NAMES.length)];
    }

    /**
     * {@code count} distinct generated suffix rules (a few exact and wildcard ones) that ordinary names
     * do not match: their words carry a 'q' label suffix ordinary words never have.
     */
    public List<BlocklistRule> generatedRules(int count) {
        List<BlocklistRule> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = ruleName(i);
            int k = i % 20;
            MatchType type = k == 0 ? MatchType.EXACT : k == 1 ? MatchType.WILDCARD : MatchType.SUFFIX;
            out.add(new BlocklistRule(name, type, false, Category.UNCLASSIFIED, "generated.list:" + (i + 1)));
        }
        return out;
    }

    /** The i-th generated rule name; unique per i. */
    public static String ruleName(int i) {
        return SYLLABLES[i % SYLLABLES.length] + "q" + Integer.toString(i, 36) + SYLLABLES[(i / 7) % SYLLABLES.length]
                + "." + (i % 3 == 0 ? "net" : "com");
    }

    /** The generated list as a list file, in our format, as an operator would concatenate it. */
    public static String generatedListFile(int count) {
        StringBuilder b = new StringBuilder(count * 24);
        b.append("# generated benchmark list\n");
        for (int i = 0; i < count; i++) {
            int k = i % 20;
            b.append(k == 0 ? "=" : k == 1 ? "*." : "").append(ruleName(i)).append('\n');
        }
        return b.toString();
    }

    public static List<BlocklistRule> defaultRules() {
        return BlocklistParser.parseDefault().rules();
    }

    /**
     * Names to look up, as the matcher sees them: mostly ordinary names, {@code hitPercent}% names that match
     * (TikTok names, and subdomains of generated rules when {@code generated} > 0).
     */
    public String[] lookups(int count, double hitPercent, int generated) {
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            if (random.nextDouble() * 100 < hitPercent) {
                out[i] = generated > 0 && random.nextBoolean()
                        ? "cdn" + random.nextInt(9) + "." + ruleName(2 + 20 * random.nextInt(generated / 20))
                        : tiktokName();
            } else {
                out[i] = ordinaryName();
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ log lines

    public String ip(int device) {
        return "10." + (20 + (device >> 16)) + "." + ((device >> 8) & 0xff) + "." + (device & 0xff);
    }

    private int port() {
        return 1024 + random.nextInt(64000);
    }

    private String uid() {
        return "C" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    private static String zeekTs(long millis) {
        return (millis / 1000) + "." + String.format("%06d", (millis % 1000) * 1000 + 417);
    }

    private static String isoLocal(long millis) {
        // Suricata writes local time with an offset without a colon.
        return java.time.OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(millis), java.time.ZoneOffset.ofHours(1))
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'417'xx"));
    }

    public String zeekDns(long millis, int device, String name) {
        return "{\"_system_name\":\"tap-hq-1\",\"ts\":" + zeekTs(millis) + ",\"uid\":\"" + uid() + "\",\"id.orig_h\":\"" + ip(device)
                + "\",\"id.orig_p\":" + port() + ",\"id.resp_h\":\"10.20.0.53\",\"id.resp_p\":53,\"proto\":\"udp\",\"trans_id\":"
                + random.nextInt(65536) + ",\"rtt\":0.0021,\"query\":\"" + name
                + "\",\"qclass\":1,\"qclass_name\":\"C_INTERNET\",\"qtype\":1,\"qtype_name\":\"A\",\"rcode\":0,\"rcode_name\":\"NOERROR\","
                + "\"AA\":false,\"TC\":false,\"RD\":true,\"RA\":true,\"Z\":0,\"answers\":[\"edge-" + random.nextInt(99)
                + ".cdn.example.net\",\"23.62." + random.nextInt(256) + "." + random.nextInt(256) + "\"],\"TTLs\":[300.0,60.0],\"rejected\":false}";
    }

    public String zeekSsl(long millis, int device, String name) {
        return "{\"_system_name\":\"tap-hq-1\",\"ts\":" + zeekTs(millis) + ",\"uid\":\"" + uid() + "\",\"id.orig_h\":\"" + ip(device)
                + "\",\"id.orig_p\":" + port() + ",\"id.resp_h\":\"23.45." + random.nextInt(256) + "." + random.nextInt(256)
                + "\",\"id.resp_p\":443,\"version\":\"TLSv13\",\"cipher\":\"TLS_AES_128_GCM_SHA256\",\"curve\":\"X25519MLKEM768\","
                + "\"server_name\":\"" + name + "\",\"resumed\":false,\"established\":true,\"ssl_history\":\"CsiI\"}";
    }

    public String zeekQuic(long millis, int device, String name) {
        return "{\"_system_name\":\"tap-hq-1\",\"ts\":" + zeekTs(millis) + ",\"uid\":\"" + uid() + "\",\"id.orig_h\":\"" + ip(device)
                + "\",\"id.orig_p\":" + port() + ",\"id.resp_h\":\"142.250." + random.nextInt(256) + "." + random.nextInt(256)
                + "\",\"id.resp_p\":443,\"version\":\"1\",\"client_initial_dcid\":\"" + Long.toHexString(random.nextLong())
                + "\",\"client_scid\":\"\",\"server_scid\":\"" + Long.toHexString(random.nextLong()) + "\",\"server_name\":\"" + name
                + "\",\"client_protocol\":\"h3\",\"history\":\"ISishIH\"}";
    }

    public String zeekHttp(long millis, int device, String name) {
        return "{\"_system_name\":\"tap-hq-1\",\"ts\":" + zeekTs(millis) + ",\"uid\":\"" + uid() + "\",\"id.orig_h\":\"" + ip(device)
                + "\",\"id.orig_p\":" + port() + ",\"id.resp_h\":\"93.184." + random.nextInt(256) + "." + random.nextInt(256)
                + "\",\"id.resp_p\":80,\"trans_depth\":1,\"method\":\"GET\",\"host\":\"" + name + "\",\"uri\":\"/index.html\","
                + "\"version\":\"1.1\",\"user_agent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\",\"request_body_len\":0,"
                + "\"response_body_len\":1256,\"status_code\":200,\"status_msg\":\"OK\",\"tags\":[],\"resp_fuids\":[\"F"
                + uid() + "\"],\"resp_mime_types\":[\"text/html\"]}";
    }

    private String eveHead(long millis, int device, String eventType, int dstPort, String proto, String dst) {
        return "{\"timestamp\":\"" + isoLocal(millis) + "\",\"flow_id\":" + (random.nextLong() & 0xfffffffffffffL)
                + ",\"in_iface\":\"ens1f1\",\"event_type\":\"" + eventType + "\",\"src_ip\":\"" + ip(device) + "\",\"src_port\":" + port()
                + ",\"dest_ip\":\"" + dst + "\",\"dest_port\":" + dstPort + ",\"ip_v\":4,\"proto\":\"" + proto + "\",\"pkt_src\":\"wire/pcap\",";
    }

    public String suricataDnsV2(long millis, int device, String name) {
        return eveHead(millis, device, "dns", 53, "UDP", "10.20.0.53") + "\"dns\":{\"type\":\"query\",\"id\":" + random.nextInt(65536)
                + ",\"rrname\":\"" + name + "\",\"rrtype\":\"A\",\"tx_id\":0,\"opcode\":0},\"host\":\"tap-hq-2\"}";
    }

    public String suricataDnsV3(long millis, int device, String name) {
        return eveHead(millis, device, "dns", 53, "UDP", "10.20.0.53") + "\"dns\":{\"version\":3,\"type\":\"request\",\"tx_id\":0,\"id\":"
                + random.nextInt(65536) + ",\"flags\":\"100\",\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\",\"queries\":[{\"rrname\":\""
                + name + "\",\"rrtype\":\"A\"}]},\"host\":\"tap-hq-2\"}";
    }

    public String suricataTls(long millis, int device, String name) {
        return eveHead(millis, device, "tls", 443, "TCP", "23.45." + random.nextInt(256) + "." + random.nextInt(256))
                + "\"tls\":{\"sni\":\"" + name + "\",\"version\":\"TLS 1.3\",\"ja4\":\"t13d1713h2_5b57614c22b0_748f4c70de1c\","
                + "\"client_alpns\":[\"h2\",\"http/1.1\"]},\"host\":\"tap-hq-2\"}";
    }

    /** Suricata's flow events are the bulk of a real EVE file; they carry no name and are ignored. */
    public String suricataFlow(long millis, int device) {
        return eveHead(millis, device, "flow", 443, "TCP", "23.45." + random.nextInt(256) + "." + random.nextInt(256))
                + "\"app_proto\":\"tls\",\"flow\":{\"pkts_toserver\":12,\"pkts_toclient\":10,\"bytes_toserver\":2210,"
                + "\"bytes_toclient\":6120,\"start\":\"" + isoLocal(millis - 900) + "\",\"end\":\"" + isoLocal(millis)
                + "\",\"age\":1,\"state\":\"closed\",\"reason\":\"timeout\",\"alerted\":false},\"host\":\"tap-hq-2\"}";
    }

    public String own(long millis, int device, String name) {
        return "{\"ts\":\"" + java.time.Instant.ofEpochMilli(millis) + "\",\"sensor\":\"nac-gw\",\"kind\":\"dns\",\"transport\":\"udp\","
                + "\"client_ip\":\"" + ip(device) + "\",\"client_port\":" + port() + ",\"server_ip\":\"10.20.0.53\",\"server_port\":53,"
                + "\"name\":\"" + name + "\",\"qtype\":\"A\",\"answers\":[{\"type\":\"A\",\"data\":\"23.62.226." + random.nextInt(256)
                + "\",\"ttl\":60}],\"mac\":\"3c:22:fb:" + String.format("%02x:%02x:%02x", device >> 16 & 0xff, device >> 8 & 0xff, device & 0xff)
                + "\"}";
    }

    /** One line of the named dialect (the names {@link DecoderBench} takes). */
    public String line(String dialect, long millis, int device, String name) {
        return switch (dialect) {
            case "zeek-dns" -> zeekDns(millis, device, name);
            case "zeek-ssl" -> zeekSsl(millis, device, name);
            case "zeek-quic" -> zeekQuic(millis, device, name);
            case "zeek-http" -> zeekHttp(millis, device, name);
            case "suricata-dns-v2" -> suricataDnsV2(millis, device, name);
            case "suricata-dns-v3" -> suricataDnsV3(millis, device, name);
            case "suricata-tls" -> suricataTls(millis, device, name);
            case "own" -> own(millis, device, name);
            default -> throw new IllegalArgumentException(dialect);
        };
    }
}
