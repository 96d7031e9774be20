package org.tiktokdetector.decode.log;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.tiktokdetector.records.FlowRecord;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Hostile log lines into the decoders: each line of the input through one file's decoder (Zeek TSV headers and
 * rows, Zeek and Suricata JSON, flow records), and each line alone as Kafka decodes it. MalformedRecordException
 * is the declared failure; anything else is a bug. The byte path must agree with the String path.
 */
class LogDecoderFuzzTest {
    @FuzzTest(maxDuration = "4h")
    void fileLines(byte[] file) {
        LogFileDecoder decoder = new LogFileDecoder();
        LogLineDecoder single = new LogLineDecoder();
        int start = 0;
        for (int i = 0; i <= file.length; i++) {
            if (i == file.length || file[i] == '\n') {
                byte[] line = Arrays.copyOfRange(file, start, i);
                start = i + 1;
                decodeAs(decoder, line);
                agree(single, line);
            }
        }
    }

    private static void decodeAs(LogFileDecoder decoder, byte[] line) {
        try {
            LogLineDecoder.Result r = decoder.decode(line);
            if (r != null) {
                assertNotNull(r.type());
                r.records().forEach(LogDecoderFuzzTest::wellFormed);
            }
        } catch (MalformedRecordException expected) {
            assertNotNull(expected.getMessage());
        }
    }

    /** The byte scanner and the String parser give the same records, or both refuse the line. */
    private static void agree(LogLineDecoder decoder, byte[] line) {
        if (!validUtf8(line)) {
            return; // the String path would read replacement characters the bytes do not hold
        }
        Object viaBytes;
        Object viaString;
        try {
            viaBytes = decoder.decodeUtf8(line).records();
        } catch (MalformedRecordException e) {
            viaBytes = "malformed";
        }
        try {
            viaString = decoder.decode(new String(line, StandardCharsets.UTF_8)).records();
        } catch (MalformedRecordException e) {
            viaString = "malformed";
        }
        assertEquals(viaString, viaBytes);
    }

    private static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static void wellFormed(FlowRecord r) {
        assertNotNull(r.name);
        assertNotNull(r.kind);
    }
}
