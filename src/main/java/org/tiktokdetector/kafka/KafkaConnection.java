package org.tiktokdetector.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where Kafka is and how to talk to it: the bootstrap servers and the client settings an operator
 * keeps in a properties file (security.protocol, SASL, SSL trust stores...). The same settings go to
 * every consumer and producer, ours and the connector's; none is ever set in code, and none is
 * printed: {@link #describe()} shows the names with secret-looking values redacted.
 */
public final class KafkaConnection implements Serializable {
    /** Broker default transaction.max.timeout.ms; the Flink sink's own default (1 h) is above it. */
    public static final String TRANSACTION_TIMEOUT_MS = String.valueOf(15 * 60 * 1000);

    private final String bootstrap;
    private final Properties client;
    private final String source;

    private KafkaConnection(String bootstrap, Properties client, String source) {
        this.bootstrap = bootstrap;
        this.client = client;
        this.source = source;
    }

    public static KafkaConnection of(String bootstrap, Properties client) {
        Properties copy = new Properties();
        copy.putAll(client);
        return new KafkaConnection(bootstrap, copy, "given properties");
    }

    /** @param propertiesFile Kafka client settings, or null for none (plaintext, no auth) */
    public static KafkaConnection load(String bootstrap, Path propertiesFile) throws IOException {
        Properties p = new Properties();
        if (propertiesFile != null) {
            try (Reader in = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                p.load(in);
            }
        }
        return new KafkaConnection(bootstrap, p, propertiesFile == null ? "no properties file" : propertiesFile.toString());
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** The file's settings plus bootstrap.servers: for any client (admin, plain consumer or producer). */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(client);
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    /** For consumers: only committed records, so an aborted transaction upstream is never read. */
    public Properties consumerProperties() {
        Properties p = clientProperties();
        p.put("isolation.level", "read_committed");
        return p;
    }

    /** For transactional producers: a transaction timeout the broker accepts, unless the file sets one. */
    public Properties producerProperties() {
        Properties p = clientProperties();
        p.putIfAbsent("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        return p;
    }

    /** For logs: bootstrap and every setting, values of secret-looking keys redacted. */
    public String describe() {
        TreeMap<String, String> shown = new TreeMap<>();
        client.forEach((k, v) -> shown.put(k.toString(), isSecret(k.toString()) ? "<redacted>" : v.toString()));
        return "Kafka " + bootstrap + " (" + source + ")" + (shown.isEmpty() ? "" : ": " + shown);
    }

    /** Keys whose values must never reach a log: passwords, secrets, JAAS configs, tokens, keys. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token") || k.contains("key");
    }

    @Override
    public String toString() {
        return describe();
    }
}
