package org.tiktokdetector.io;

/** A mistake in how the user called us: printed as one line with the fix, exit code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
