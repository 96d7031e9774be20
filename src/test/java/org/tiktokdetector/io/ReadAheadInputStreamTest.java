package org.tiktokdetector.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadAheadInputStreamTest {
    /** Three and a half chunks: reads and skips cross chunk boundaries, and the last chunk is short. */
    private static final int SIZE = (7 << 20) / 2 + 13;

    @TempDir
    Path dir;

    /** Reads of every size, single bytes and skips, mixed as a capture reader mixes them, give the file's bytes. */
    @Test
    void givesTheSourceBytesInOrder() throws IOException {
        byte[] file = new byte[SIZE];
        new Random(15).nextBytes(file);
        Path p = Files.write(dir.resolve("data"), file);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random sizes = new Random(3);
        int at = 0;
        try (InputStream in = new ReadAheadInputStream(Files.newInputStream(p), "data")) {
            byte[] buf = new byte[70_000];
            while (true) {
                int step = sizes.nextInt(3);
                if (step == 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    read.write(b);
                    expected.write(file[at++]);
                } else if (step == 1) {
                    int n = in.read(buf, 7, 1 + sizes.nextInt(buf.length - 7));
                    if (n < 0) {
                        break;
                    }
                    read.write(buf, 7, n);
                    expected.write(file, at, n);
                    at += n;
                } else {
                    at += (int) in.skip(sizes.nextInt(40_000));
                }
            }
            assertEquals(-1, in.read(buf, 0, 10), "the end stays the end");
        }
        assertEquals(SIZE, at, "every byte was read or skipped");
        assertArrayEquals(expected.toByteArray(), read.toByteArray());
    }

    /** The source's own error reaches the reader after the bytes before it, not as an early end of the file. */
    @Test
    void passesOnTheSourcesError() throws IOException {
        IOException broken = new IOException("disk gone");
        InputStream failing = new FilterInputStream(InputStream.nullInputStream()) {
            private int given;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (given >= 3_000_000) {
                    throw broken;
                }
                int n = Math.min(len, 3_000_000 - given);
                given += n;
                return n;
            }
        };
        try (InputStream in = new ReadAheadInputStream(failing, "failing")) {
            assertEquals(3_000_000, in.readNBytes(3_000_000).length);
            assertSame(broken, assertThrows(IOException.class, in::read));
        }
    }

    /** Closing mid-stream stops the reading thread, which would otherwise wait for a free chunk for ever. */
    @Test
    void closeEndsTheThread() throws IOException {
        AtomicLong given = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                given.addAndGet(len);
                return len;
            }
        };
        InputStream in = new ReadAheadInputStream(endless, "closed-early");
        assertEquals(0, in.read());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (given.get() < 4 << 20) { // every chunk filled: the thread now waits for one to come back
            assertTrue(System.nanoTime() < deadline, "the read-ahead thread did not fill its chunks");
            Thread.onSpinWait();
        }
        in.close();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("read-ahead closed-early") && t.isAlive()));
    }
}
