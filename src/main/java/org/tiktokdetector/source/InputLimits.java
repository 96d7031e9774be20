package org.tiktokdetector.source;

import org.tiktokdetector.decode.capture.TunnelPorts;

import java.io.Serializable;
import java.time.Duration;

/**
 * What every input takes on trust, and no more: how far out of order records come, how far ahead of the
 * wall clock (and of a file's own recent records) a record's time may be before it is not believed, and
 * how long a line may be before it is not read whole (memory stays bounded whatever the input); and on which UDP
 * ports a capture's tunnels are looked for.
 */
public record InputLimits(Duration outOfOrderness, Duration maxAhead, int maxLineLength, TunnelPorts tunnelPorts) implements Serializable {
    /** The time check of a live input: nothing more than {@code maxAhead} ahead of the wall clock. */
    FileClock.WallClock wallClock() {
        return new FileClock.WallClock(maxAhead.toMillis());
    }
}
