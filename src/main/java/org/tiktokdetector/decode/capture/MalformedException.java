package org.tiktokdetector.decode.capture;

/**
 * Bytes that do not follow their format. The message names the offset and what was expected there.
 * Thrown only inside this package's decoders and caught by {@link FlowExtractor}, which counts it as
 * a skip reason: no stack trace, since malformed input is expected on a tap.
 */
public final class MalformedException extends Exception {
    public MalformedException(String message) {
        super(message, null, false, false);
    }

    static MalformedException at(int offset, String expected) {
        return new MalformedException("offset " + offset + ": expected " + expected);
    }
}
