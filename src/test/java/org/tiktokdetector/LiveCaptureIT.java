package org.tiktokdetector;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Live capture for real: a network namespace joined to this one by a veth pair, real clients in it ({@code dig},
 * {@code openssl s_client}) asking a DNS responder and a TLS listener of this test on the other end, and
 * {@code detect --interface} capturing on this end. Needs root (CI runs as root) and iproute2, dnsutils, openssl;
 * without them it is skipped with the reason.
 */
class LiveCaptureIT {
    private static final String NS = "tdlive" + ProcessHandle.current().pid();
    private static final String HOST_END = "tdh" + ProcessHandle.current().pid();
    private static final String NS_END = "tdn" + ProcessHandle.current().pid();
    private static final String HOST_IP = "10.203.0.1";
    private static final String CLIENT_IP = "10.203.0.2";
    private static final Pattern RECEIVED = Pattern.compile("live capture on \\S+ \\((\\d+) packets received, (\\d+) dropped by the kernel, (\\d+) dropped by the interface\\)");

    private static DatagramSocket dns;
    private static ServerSocket tls;

    @TempDir
    Path dir;

    @BeforeAll
    static void network() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root (or CAP_NET_RAW and CAP_NET_ADMIN)");
        for (String tool : List.of("ip", "dig", "openssl")) {
            assumeTrue(run(5, "sh", "-c", "command -v " + tool) == 0, tool + " is not installed (iproute2, dnsutils, openssl)");
        }
        assumeTrue(run(5, "ip", "netns", "add", NS) == 0, "cannot create a network namespace");
        sh("ip link add " + HOST_END + " type veth peer name " + NS_END + " netns " + NS);
        sh("ip addr add " + HOST_IP + "/24 dev " + HOST_END);
        sh("ip link set " + HOST_END + " up");
        sh("ip netns exec " + NS + " ip addr add " + CLIENT_IP + "/24 dev " + NS_END);
        sh("ip netns exec " + NS + " ip link set " + NS_END + " up");
        dns = new DatagramSocket(new InetSocketAddress(HOST_IP, 53));
        tls = new ServerSocket();
        tls.bind(new InetSocketAddress(HOST_IP, 443));
        daemon(LiveCaptureIT::answerDns);
        daemon(LiveCaptureIT::takeHellos);
    }

    @AfterAll
    static void teardown() throws Exception {
        if (dns != null) {
            dns.close();
        }
        if (tls != null) {
            tls.close();
        }
        run(10, "ip", "link", "del", HOST_END); // removes its peer in the namespace too
        run(10, "ip", "netns", "del", NS);
    }

    @Test
    void capturesRealClientsUntilThePacketCount() throws Exception {
        Path out = dir.resolve("violations.jsonl");
        CompletableFuture<DetectRun> detect = CompletableFuture.supplyAsync(() -> {
            try {
                return DetectRun.of("detect", "--interface", HOST_END, "--packet-count", "30", "--threshold", "3",
                        "--out", out.toString(), "--dead-letter", dir.resolve("dl.jsonl").toString(),
                        "--late", dir.resolve("late.jsonl").toString());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // clients until the capture has had its packets (those sent before it opened are not seen); bounded
        for (int i = 0; i < 200 && !detect.isDone(); i++) {
            clients();
        }
        DetectRun run = detect.get(60, TimeUnit.SECONDS);
        assertThat(run.exit()).as(run.err()).isZero();

        Matcher m = RECEIVED.matcher(run.err());
        assertThat(m.find()).as(run.err()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(30);
        assertThat(run.judged()).isGreaterThanOrEqualTo(3);

        List<JsonNode> violations = DetectRun.jsonLines(out);
        JsonNode last = violations.get(violations.size() - 1);
        assertThat(last.get("status").asText()).isEqualTo("final");
        assertThat(last.get("device_id").asText()).isEqualTo(CLIENT_IP);
        assertThat(last.get("sensors").get(0).asText()).isEqualTo(HOST_END);
        assertThat(last.get("names").has("www.tiktok.com")).as(last.toString()).isTrue();
        assertThat(last.get("names").has("www.tiktokv.com")).as(last.toString()).isTrue();
        assertThat(last.get("evidence").get("dns").asInt()).isPositive();
        assertThat(last.get("evidence").get("tls").asInt()).isPositive();
    }

    /** One round of real clients in the namespace: a DNS query and a TLS ClientHello, both for TikTok names. */
    private static void clients() throws Exception {
        run(10, "ip", "netns", "exec", NS, "dig", "+tries=1", "+time=1", "@" + HOST_IP, "www.tiktok.com");
        run(10, "ip", "netns", "exec", NS, "openssl", "s_client", "-connect", HOST_IP + ":443", "-servername", "www.tiktokv.com");
    }

    /** Answers every query with its question and no records (NOERROR), as a resolver that knows no such name would. */
    private static void answerDns() {
        byte[] buf = new byte[512];
        while (!dns.isClosed()) {
            try {
                DatagramPacket q = new DatagramPacket(buf, buf.length);
                dns.receive(q);
                byte[] a = java.util.Arrays.copyOf(q.getData(), q.getLength());
                a[2] = (byte) (a[2] | 0x80); // a response
                dns.send(new DatagramPacket(a, a.length, q.getSocketAddress()));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Reads what a TLS client sends first (its ClientHello) and hangs up: the client gives up at once. */
    private static void takeHellos() {
        while (!tls.isClosed()) {
            try (Socket s = tls.accept()) {
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                in.read(new byte[16384]);
            } catch (SocketException e) {
                if (tls.isClosed()) {
                    return;
                }
            } catch (IOException e) {
                // a client that went away: take the next
            }
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "live-capture-test server");
        t.setDaemon(true);
        t.start();
    }

    private static void sh(String command) throws Exception {
        int exit = run(10, command.split(" "));
        if (exit != 0) {
            throw new IllegalStateException(command + " exited with " + exit);
        }
    }

    /** Runs a command with no input, its output discarded, killed after the timeout; its exit code. */
    private static int run(int timeoutSeconds, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return -1;
        }
        return p.exitValue();
    }
}
