package org.tiktokdetector.privacy;

import org.tiktokdetector.io.UsageException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The secret behind the pseudonyms ({@code --pseudonymise-key FILE}, {@code reveal --key FILE}): the file's bytes,
 * trailing line breaks removed, at least {@link #MIN_BYTES} of them. Nothing here ever prints the key; its
 * {@link #fingerprint()} (an HMAC of a fixed text, which does not give the key back) names it in run summaries and
 * audit records, so that records can be told apart by the key that made them after a rotation.
 */
public final class PseudonymKey {
    /** 256 bits: what HMAC-SHA256 can use in full ({@code openssl rand -hex 32} writes 64 characters). */
    public static final int MIN_BYTES = 32;

    private final SecretKeySpec key;

    private PseudonymKey(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        Arrays.fill(secret, (byte) 0);
    }

    /** @throws UsageException in one line when the file is missing, unreadable, empty or too short */
    public static PseudonymKey load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("the key file " + file + " does not exist; make one with: openssl rand -hex 32 > " + file);
        } catch (AccessDeniedException e) {
            throw new UsageException("the key file " + file + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new UsageException("the key file " + file + " cannot be read: " + e.getMessage());
        }
        int n = bytes.length;
        while (n > 0 && (bytes[n - 1] == '\n' || bytes[n - 1] == '\r')) {
            n--;
        }
        if (n < MIN_BYTES) {
            throw new UsageException("the key file " + file + " holds " + n + " bytes; a key needs at least " + MIN_BYTES
                    + " (make one with: openssl rand -hex 32 > " + file + ")");
        }
        return new PseudonymKey(Arrays.copyOf(bytes, n));
    }

    /** A new HMAC-SHA256 keyed with this key; a Mac is not thread safe, so each user takes its own. */
    Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }

    /** 8 hex digits that name the key without giving it away. */
    public String fingerprint() {
        return HexFormat.of().formatHex(mac().doFinal("tiktok-detector key fingerprint".getBytes(StandardCharsets.UTF_8)), 0, 4);
    }

    @Override
    public String toString() {
        return "pseudonym key " + fingerprint();
    }
}
