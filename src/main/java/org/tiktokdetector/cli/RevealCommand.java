package org.tiktokdetector.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.tiktokdetector.aggregate.DeviceInventory;
import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.kafka.KafkaConnection;
import org.tiktokdetector.privacy.PseudonymKey;
import org.tiktokdetector.privacy.Pseudonyms;
import org.tiktokdetector.privacy.Pseudonyms.Kind;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code reveal}: the second, authorised step. Says who is behind pseudonyms by recomputing the pseudonyms of the
 * inventory's devices, owners and addresses (and of candidate client addresses) with the key. Every call is written
 * to the audit log (and the audit topic) before anything is printed: no reveal without its record.
 */
public class RevealCommand implements Command {
    static final String DEFAULT_AUDIT_LOG = "reveal-audit.jsonl";
    /** Candidate addresses are hashed one by one: a /12 of IPv4 takes about a second. */
    static final long MAX_CANDIDATES = 1 << 20;
    /** Each takes one value (--approver and --candidate-ips may be repeated), so the pseudonyms can follow any of them. */
    private static final Set<String> SINGLE = Set.of("key", "devices", "reason", "approver", "candidate-ips", "audit-log",
            "kafka-bootstrap", "kafka-properties", "audit-topic");

    @Override
    public String name() {
        return "reveal";
    }

    @Override
    public String summary() {
        return "say who is behind pseudonyms (two approvers and a reason; audited)";
    }

    @Override
    public String help() {
        return """
                usage: reveal --key FILE --devices FILE --reason TEXT --approver A --approver B
                              [--candidate-ips CIDR[,CIDR...]] [--audit-log FILE]
                              [--kafka-bootstrap HOST:PORT --audit-topic T [--kafka-properties FILE]] PSEUDONYM...

                Re-identifies pseudonyms (dev:, own:, ip:, mac:) that detect --pseudonymise-key wrote, by recomputing
                the pseudonyms of every device id, owner, IP and MAC of the inventory with the key. A client address
                the inventory does not list is found only among --candidate-ips (at most %,d addresses in all).
                Each call appends one JSON line (when, OS user, approvers, reason, key fingerprint, pseudonyms and
                what each revealed) to the audit log before printing anything, and in Kafka mode also to the audit
                topic.

                  --key FILE              the key the records were pseudonymised with (an older key for older records)
                  --devices FILE          the device inventory CSV the job used
                  --reason TEXT           why (the case, the decision that authorises it)
                  --approver NAME         twice or more: two different people approve each reveal
                  --candidate-ips CIDR[,CIDR...]
                                          client addresses to try that the inventory does not list (10.20.0.0/16)
                  --audit-log FILE        append-only audit log (default ./%s)
                  --kafka-bootstrap HOST:PORT, --audit-topic T, --kafka-properties FILE
                                          also write the audit record to this topic, before anything is revealed"""
                .formatted(MAX_CANDIDATES, DEFAULT_AUDIT_LOG);
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, Set.of(), SINGLE, Set.of());
        String reason = args.get("reason", "").strip();
        if (reason.isEmpty()) {
            throw new UsageException("give --reason TEXT: why these pseudonyms are revealed (the case, the decision)");
        }
        Set<String> approvers = new LinkedHashSet<>();
        args.all("approver").stream().map(String::strip).filter(a -> !a.isEmpty()).forEach(approvers::add);
        if (approvers.stream().map(a -> a.toLowerCase(Locale.ROOT)).distinct().count() < 2) {
            throw new UsageException("a reveal needs two different approvers: give --approver A --approver B");
        }
        List<String> asked = args.positional();
        if (asked.isEmpty()) {
            throw new UsageException("name at least one PSEUDONYM to reveal (dev:..., own:..., ip:..., mac:...)");
        }
        for (String p : asked) {
            if (!p.matches("(dev|own|ip|mac):[0-9a-f]{16}")) {
                throw new UsageException("\"" + p + "\" is no pseudonym; they look like dev:3f2a9c0d1e5b7a64 (dev, own, ip or mac)");
            }
        }
        if (!args.has("key")) {
            throw new UsageException("give --key FILE: the key the records were pseudonymised with");
        }
        PseudonymKey key = PseudonymKey.load(Path.of(args.get("key", null)));
        if (!args.has("devices")) {
            throw new UsageException("give --devices FILE: the device inventory the pseudonyms are looked up in");
        }
        DeviceInventory inventory = DetectCommand.inventory(args);
        List<String> candidates = candidates(args.all("candidate-ips").stream().flatMap(c -> Arrays.stream(c.split(","))).map(String::strip).toList());
        boolean kafka = args.has("kafka-bootstrap") || args.has("audit-topic");
        if (kafka && !(args.has("kafka-bootstrap") && args.has("audit-topic"))) {
            throw new UsageException("the audit topic needs both --kafka-bootstrap HOST:PORT and --audit-topic T");
        }
        Path auditLog = Path.of(args.get("audit-log", DEFAULT_AUDIT_LOG));

        Map<String, String> known = identities(new Pseudonyms(key), inventory, candidates);
        Map<String, String> revealed = new LinkedHashMap<>();
        for (String p : asked) {
            revealed.put(p, known.get(p));
        }
        String record = auditRecord(approvers, reason, key, args.get("devices", null), revealed).toString();
        if (kafka) {
            sendToTopic(KafkaClientOptions.connection(args), args.get("audit-topic", null), record);
        }
        append(auditLog, record);
        revealed.forEach((p, who) -> out.println(p + " " + (who == null ? "not found (not in the inventory or the candidate addresses)" : who)));
        err.println("tiktok-detector: reveal recorded in " + auditLog + (kafka ? " and topic " + args.get("audit-topic", null) : ""));
        return 0;
    }

    /** Each pseudonym the inventory and the candidates can give, with what it stands for. */
    static Map<String, String> identities(Pseudonyms p, DeviceInventory inventory, List<String> candidates) {
        Map<String, String> known = new LinkedHashMap<>();
        for (DeviceInventory.Entry e : inventory.entries()) {
            DeviceInventory.Device d = e.device();
            String device = "device " + d.id() + (d.owner() == null ? "" : ", owner " + d.owner())
                    + (d.department() == null ? "" : ", department " + d.department());
            known.putIfAbsent(p.of(Kind.DEVICE, d.id()), device);
            if (d.owner() != null) {
                known.merge(p.of(Kind.OWNER, d.owner()), "owner " + d.owner() + " of device " + d.id(), (a, b) -> a + ", " + d.id());
            }
            if (InetAddresses.isInetAddress(e.match())) {
                known.put(p.of(Kind.IP, e.match()), "address " + e.match() + " of " + device);
            } else if (!e.match().contains("/")) { // a CIDR's addresses are found through --candidate-ips
                known.put(p.of(Kind.MAC, e.match()), "MAC " + e.match() + " of " + device);
            }
        }
        for (String ip : candidates) {
            known.putIfAbsent(p.of(Kind.IP, ip), "address " + ip + " (a candidate address)");
            // A device the inventory does not know is named by its client address (README "Violation").
            known.putIfAbsent(p.of(Kind.DEVICE, ip), "device " + ip + " (a client address the inventory does not list)");
        }
        return known;
    }

    /** Every address of the CIDRs, at most {@link #MAX_CANDIDATES} in all. */
    static List<String> candidates(List<String> cidrs) {
        List<String> all = new ArrayList<>();
        for (String cidr : cidrs) {
            int slash = cidr.indexOf('/');
            String base = slash < 0 ? cidr : cidr.substring(0, slash);
            if (!InetAddresses.isInetAddress(base)) {
                throw new UsageException("--candidate-ips: \"" + cidr + "\" is no address or CIDR (10.20.0.0/16, 2001:db8::/120)");
            }
            InetAddress addr = InetAddresses.forString(base);
            int bits = addr.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new UsageException("--candidate-ips: \"" + cidr + "\" has a bad prefix length");
            }
            if (bits - prefix > 20 || all.size() + (1L << (bits - prefix)) > MAX_CANDIDATES) {
                throw new UsageException("--candidate-ips: more than " + MAX_CANDIDATES + " addresses; give narrower ranges");
            }
            BigInteger first = new BigInteger(1, addr.getAddress()).shiftRight(bits - prefix).shiftLeft(bits - prefix);
            for (long i = 0; i < 1L << (bits - prefix); i++) {
                BigInteger n = first.add(BigInteger.valueOf(i));
                all.add(InetAddresses.toAddrString(bits == 32 ? InetAddresses.fromIPv4BigInteger(n) : InetAddresses.fromIPv6BigInteger(n)));
            }
        }
        return all;
    }

    private static ObjectNode auditRecord(Set<String> approvers, String reason, PseudonymKey key, String inventory,
                                          Map<String, String> revealed) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("time", Instant.now().toString());
        o.put("os_user", System.getProperty("user.name"));
        ArrayNode a = o.putArray("approvers");
        approvers.forEach(a::add);
        o.put("reason", reason);
        o.put("key", key.fingerprint());
        o.put("inventory", Path.of(inventory).toAbsolutePath().toString());
        ArrayNode r = o.putArray("pseudonyms");
        revealed.forEach((p, who) -> {
            ObjectNode x = r.addObject().put("pseudonym", p);
            if (who == null) {
                x.put("found", false);
            } else {
                x.put("found", true).put("revealed", who);
            }
        });
        return o;
    }

    /** Appends one line and forces it to disk; the file is only ever opened for appending. */
    private static void append(Path log, String record) {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap((record + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new UsageException("the audit log " + log + " cannot be written (" + e.getMessage() + "); nothing was revealed");
        }
    }

    private static void sendToTopic(KafkaConnection connection, String topic, String record) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClientOptions.producer(connection, topic)) {
            producer.send(new ProducerRecord<>(topic, record.getBytes(StandardCharsets.UTF_8))).get(KafkaClientOptions.BROKER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new UsageException("the audit record could not be written to topic " + topic + " (" + e.getMessage() + "); nothing was revealed");
        }
    }
}
