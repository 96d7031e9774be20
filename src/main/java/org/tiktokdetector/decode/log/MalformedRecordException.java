package org.tiktokdetector.decode.log;

/**
 * A log line that cannot be decoded. The message says why in words an operator can act on
 * ("Zeek dns.log record without \"query\"", "truncated JSON: ..."); it goes to the dead-letter output.
 */
public class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String reason) {
        // No stack trace: malformed lines are data, not bugs, and some feeds carry many of them.
        super(reason, null, false, false);
    }
}
