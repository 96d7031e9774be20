package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.privacy.PseudonymKey;
import org.tiktokdetector.privacy.Pseudonyms;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Kind;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What Flink writes into the job graph holds no key; each task reads the key itself, and only the key it was given. */
class PseudonymiseHitsTest {
    private static final String SECRET = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    Path dir;

    @Test
    void theSerializedFunctionHoldsThePathAndFingerprintButNotTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("pseudonym.key"), SECRET + "\n");
        PseudonymKey key = PseudonymKey.load(file);
        byte[] graph = InstantiationUtil.serializeObject(new PseudonymiseHits(file, key));
        String text = new String(graph, StandardCharsets.ISO_8859_1);
        assertThat(text).contains(file.toString(), key.fingerprint());
        for (int i = 0; i + 8 <= SECRET.length(); i += 8) {
            assertThat(text).as("a piece of the key").doesNotContain(SECRET.substring(i, i + 8));
        }

        PseudonymiseHits task = InstantiationUtil.deserializeObject(graph, getClass().getClassLoader());
        task.open(DefaultOpenContext.INSTANCE);
        Hit h = new Hit();
        h.deviceId = "LAPTOP-0042";
        h.clientIp = "10.20.1.15";
        h.kind = Kind.DNS;
        h.category = Category.TIKTOK_APP;
        assertThat(task.map(h).deviceId).isEqualTo(new Pseudonyms(key).of(Pseudonyms.Kind.DEVICE, "LAPTOP-0042"));
    }

    @Test
    void aTaskWhoseKeyFileDiffersRefusesToStart() throws Exception {
        Path file = Files.writeString(dir.resolve("pseudonym.key"), SECRET);
        PseudonymiseHits submitted = new PseudonymiseHits(file, PseudonymKey.load(file));
        Files.writeString(file, SECRET.replace('9', '8'));
        assertThatThrownBy(() -> submitted.open(DefaultOpenContext.INSTANCE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the job was started with key " + submitted.fingerprint());
    }
}
