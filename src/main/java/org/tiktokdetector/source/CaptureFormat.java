package org.tiktokdetector.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells capture files by content, not by name: the pcap and pcapng magic numbers. */
public final class CaptureFormat {
    private CaptureFormat() {}

    /** True for a regular file that starts like pcap (either byte order, micro- or nanoseconds) or pcapng. */
    public static boolean isCapture(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return isCaptureMagic(in.readNBytes(4));
        }
    }

    /** True when the first four bytes are a pcap or pcapng magic number. */
    public static boolean isCaptureMagic(byte[] head) {
        if (head.length < 4) {
            return false;
        }
        int magic = (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | (head[3] & 0xff);
        return magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1 || magic == 0xa1b23c4d || magic == 0x4d3cb2a1
                || magic == 0x0a0d0d0a;
    }
}
