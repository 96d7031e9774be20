package org.tiktokdetector.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A text file a user hands us (device inventory, blocklist), read as UTF-8. When it cannot be read the
 * reason is one line a user can act on: which file, and for bytes that are not UTF-8 which line; the
 * JDK's MalformedInputException names neither.
 */
public final class TextFile {
    /** Why a file could not be read, e.g. "devices.csv:3: not valid UTF-8 (byte 0xE9); save the file as UTF-8". */
    public static final class Unreadable extends IOException {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @FunctionalInterface
    public interface Reading<T> {
        T from(BufferedReader lines) throws IOException;
    }

    private TextFile() {}

    /**
     * Opens {@code file}, skips a byte order mark (spreadsheets and Windows editors write one) and hands
     * the lines to {@code reading}; exceptions other than I/O ones pass through unchanged.
     *
     * @throws Unreadable when the file is missing, a folder, not readable or not UTF-8
     */
    public static <T> T read(Path file, Reading<T> reading) throws Unreadable {
        if (Files.isDirectory(file)) {
            throw new Unreadable(file + " is a folder; give a file", null);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            in.mark(1);
            if (in.read() != '\uFEFF') {
                in.reset();
            }
            return reading.from(in);
        } catch (CharacterCodingException e) {
            throw new Unreadable(notUtf8(file), e);
        } catch (NoSuchFileException e) {
            throw new Unreadable(file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new Unreadable(file + " cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new Unreadable(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Where the file stops being UTF-8. The reader cannot say (it decodes ahead of the line it hands
     * out), so the bytes are decoded once more; only on this error path.
     */
    private static String notUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return file + " is not valid UTF-8; save the file as UTF-8";
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        CoderResult result;
        while ((result = decoder.decode(in, out, true)).isOverflow()) {
            out.clear();
        }
        if (!result.isError()) {
            return file + " is not valid UTF-8; save the file as UTF-8";
        }
        int line = 1;
        for (int i = 0; i < in.position(); i++) {
            line += bytes[i] == '\n' ? 1 : 0;
        }
        return String.format("%s:%d: not valid UTF-8 (byte 0x%02X); save the file as UTF-8", file, line, bytes[in.position()] & 0xFF);
    }
}
