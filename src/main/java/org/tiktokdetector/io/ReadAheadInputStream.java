package org.tiktokdetector.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads its source on a thread of its own, a few chunks ahead of the reader: a batch command that decodes
 * what it reads (extract) gets the reading (system calls, page-cache copies, gzip inflation) done on
 * another core while it decodes. The bytes, their order and the source's errors are those of the source.
 * Buffered: a reader needs no {@link java.io.BufferedInputStream} on top. One reader thread.
 */
public final class ReadAheadInputStream extends InputStream {
    private static final int CHUNK = 1 << 20;
    private static final int CHUNKS = 4;

    /** Bytes of the source; the last chunk ends with the end of the source or with its {@code error}. */
    private record Chunk(byte[] bytes, int length, boolean last, IOException error) {}

    private final InputStream source;
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread reader;
    private Chunk current = new Chunk(new byte[0], 0, false, null);
    private int pos;

    public ReadAheadInputStream(InputStream source, String name) {
        this.source = source;
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new byte[CHUNK]);
        }
        reader = new Thread(this::fill, "read-ahead " + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void fill() {
        try {
            while (true) {
                byte[] b = free.take();
                int n = 0;
                try {
                    for (int r; n < b.length && (r = source.read(b, n, b.length - n)) >= 0; n += r) {
                        // fill the chunk
                    }
                } catch (IOException e) {
                    filled.put(new Chunk(b, n, true, e)); // the bytes read before the error come first
                    return;
                }
                filled.put(new Chunk(b, n, n < b.length, null));
                if (n < b.length) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /**
     * Whether bytes are at hand, moving on to the next chunk when the current one is read; false at the end of
     * the source. The source's error is thrown, on every call, once the bytes before it are read.
     */
    private boolean hasBytes() throws IOException {
        while (pos == current.length) {
            if (current.last) {
                if (current.error != null) {
                    throw current.error;
                }
                return false;
            }
            if (current.bytes.length == CHUNK) {
                free.add(current.bytes);
            }
            try {
                current = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
            pos = 0;
        }
        return true;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int done = 0;
        try {
            while (done < len && hasBytes()) {
                int n = Math.min(len - done, current.length - pos);
                System.arraycopy(current.bytes, pos, b, off + done, n);
                pos += n;
                done += n;
            }
        } catch (IOException e) {
            if (done == 0) {
                throw e;
            } // else the bytes read come first; the next call throws it again
        }
        return done == 0 && len > 0 ? -1 : done;
    }

    @Override
    public int read() throws IOException {
        return hasBytes() ? current.bytes[pos++] & 0xff : -1;
    }

    @Override
    public long skip(long n) throws IOException {
        long done = 0;
        while (done < n && hasBytes()) {
            int step = (int) Math.min(n - done, current.length - pos);
            pos += step;
            done += step;
        }
        return done;
    }

    @Override
    public void close() throws IOException {
        reader.interrupt();
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
