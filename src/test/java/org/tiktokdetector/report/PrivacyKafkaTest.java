package org.tiktokdetector.report;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.DetectRun;
import org.tiktokdetector.kafka.KafkaBroker;
import org.tiktokdetector.privacy.PseudonymKey;
import org.tiktokdetector.privacy.Pseudonyms;
import org.tiktokdetector.records.Violation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** report reads a violations topic as read_committed consumers do; reveal writes its audit record to a topic. */
class PrivacyKafkaTest {
    @TempDir
    static Path dir;
    static KafkaBroker kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
        kafka.createTopics(2, "violations", "ocsf");
        kafka.createTopics(1, "reveal-audit");
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    private static KafkaProducer<byte[], byte[]> transactional(String id) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    @Test
    void theReportCountsEachCommittedViolationOnceAndNothingOfAnAbortedTransaction() throws Exception {
        ReportInput input = new ReportInput();
        try (KafkaProducer<byte[], byte[]> producer = transactional("report-test")) {
            producer.beginTransaction();
            for (String line : input.lines) {
                String device = line.replaceAll(".*\"device_id\":\"([^\"]+)\".*", "$1");
                producer.send(new ProducerRecord<>("violations", device.getBytes(StandardCharsets.UTF_8), line.getBytes(StandardCharsets.UTF_8)));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            Violation aborted = new Violation();
            aborted.violationId = "aborted-1";
            aborted.status = "final";
            aborted.deviceId = "ABORTED-DEVICE";
            aborted.department = "Finance";
            aborted.clientIps = List.of();
            aborted.macs = List.of();
            aborted.names = new java.util.TreeMap<>();
            aborted.categories = new java.util.TreeMap<>();
            aborted.evidence = new java.util.TreeMap<>();
            aborted.services = List.of();
            aborted.sensors = List.of("tap-hq-1");
            aborted.resolvedAddresses = List.of();
            aborted.hitCount = 99;
            aborted.severity = "high";
            producer.send(new ProducerRecord<>("violations", aborted.toJson().toString().getBytes(StandardCharsets.UTF_8))).get();
            producer.abortTransaction();
        }
        Path page = dir.resolve("topic.html");
        DetectRun run = DetectRun.of("report", "--kafka-bootstrap", kafka.bootstrap(), "--topic", "violations", "--individual", "--out", page.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        String html = Files.readString(page);
        assertThat(html).contains("<span id=\"violations\">" + input.standing.size() + "</span>");
        input.devices.forEach(d -> assertThat(html).contains(">" + d.id() + "<"));
        assertThat(html).doesNotContain("ABORTED-DEVICE");
        assertThat(run.err()).contains("individual report of " + input.standing.size() + " violations (" + input.lines.size() + " records)");
    }

    @Test
    void aTopicOfAnotherFormatIsOneLine() throws Exception {
        kafka.sendValues("ocsf", List.of("{\"class_uid\":2004,\"activity_id\":1,\"finding_info\":{\"uid\":\"x\"}}"));
        DetectRun run = DetectRun.of("report", "--kafka-bootstrap", kafka.bootstrap(), "--topic", "ocsf", "--out", dir.resolve("x.html").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString()
                .contains("topic ocsf partition").contains("an OCSF finding; report reads native violation records");
        assertThat(dir.resolve("x.html")).doesNotExist();
    }

    @Test
    void revealWritesItsAuditRecordToTheTopicAsToTheFile() throws Exception {
        Path key = Files.writeString(dir.resolve("k"), "0123456789abcdef".repeat(4));
        Path devices = Files.writeString(dir.resolve("devices.csv"), "match,device_id,owner,department\n10.1.2.3,PC-1,a.b,Legal\n");
        String pseudonym = new Pseudonyms(PseudonymKey.load(key)).of(Pseudonyms.Kind.DEVICE, "PC-1");
        Path log = dir.resolve("audit.jsonl");
        DetectRun run = DetectRun.of("reveal", "--key", key.toString(), "--devices", devices.toString(), "--reason", "case 7",
                "--approver", "x", "--approver", "y", "--audit-log", log.toString(),
                "--kafka-bootstrap", kafka.bootstrap(), "--audit-topic", "reveal-audit", pseudonym);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(pseudonym + " device PC-1, owner a.b, department Legal");
        List<ConsumerRecord<byte[], byte[]>> audit = kafka.readAllCommitted("reveal-audit");
        assertThat(audit).hasSize(1);
        assertThat(new String(audit.get(0).value(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(log).strip());

        DetectRun topicOnly = DetectRun.of("reveal", "--key", key.toString(), "--devices", devices.toString(), "--reason", "case 7",
                "--approver", "x", "--approver", "y", "--audit-log", log.toString(), "--audit-topic", "reveal-audit", pseudonym);
        assertThat(topicOnly.exit()).isEqualTo(2);
        assertThat(topicOnly.out()).isEmpty();
    }
}
