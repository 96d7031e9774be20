package org.tiktokdetector.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureFormatTest {
    @Test
    void capturesAreToldByTheirMagicNumber() throws IOException {
        for (String f : new String[] {"sample-data/captures/dns-udp-tcp.pcap", "sample-data/captures/all.pcapng",
                "src/test/resources/captures/formats/dns-udp-tcp-nsec.pcap",
                "src/test/resources/captures/formats/dns-udp-tcp-bigendian.pcap"}) {
            assertTrue(CaptureFormat.isCapture(Path.of(f)), f);
        }
    }

    @Test
    void otherFilesFoldersAndShortFilesAreNot(@TempDir Path dir) throws IOException {
        assertFalse(CaptureFormat.isCapture(Path.of("sample-data/captures/README.md")));
        assertFalse(CaptureFormat.isCapture(dir));
        assertFalse(CaptureFormat.isCapture(Files.write(dir.resolve("short.pcap"), new byte[] {(byte) 0xd4, (byte) 0xc3})));
        assertFalse(CaptureFormat.isCapture(dir.resolve("missing.pcap")));
    }
}
