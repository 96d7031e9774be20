package org.tiktokdetector.decode.capture;

import java.io.IOException;

/** The framing of one capture format, chosen by {@link CaptureReader} from the file's magic number. */
interface FormatReader {
    /** Fills {@code p} with the next packet; false at the end of the capture or when its framing is lost. */
    boolean next(Packet p) throws IOException;
}
