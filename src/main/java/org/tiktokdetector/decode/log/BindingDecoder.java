package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;
import org.tiktokdetector.decode.log.LogLineDecoder.Result;
import org.tiktokdetector.records.Binding;

/** The project's own binding JSON ({@link Binding}): NAC/RADIUS accounting exports. */
final class BindingDecoder {
    /** Every field this decoder reads: {@link Binding#FIELDS}, each whole. */
    static final Keep FIELDS = Keep.each(Binding.FIELDS, Keep.ALL);

    private BindingDecoder() {}

    static Result decode(JsonNode o) throws MalformedRecordException {
        Binding b;
        try {
            b = Binding.read(o);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("binding record: " + e.getMessage());
        }
        if (b.ip != null && !Fields.isIpv4(b.ip) && !Fields.isIpv6(b.ip)) {
            throw new MalformedRecordException("binding record: \"ip\" is \"" + Fields.abbreviate(b.ip) + "\", expected an IP address");
        }
        return Result.binding(Dialect.BINDING, LogTypes.BINDING, b);
    }
}
