package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;
import org.tiktokdetector.decode.log.LogLineDecoder.Result;
import org.tiktokdetector.records.FlowRecordJson;

/** The project's own flow-record JSON ({@link FlowRecordJson}). */
final class FlowRecordDecoder {
    /** Every field this decoder reads: {@link FlowRecordJson#FIELDS}, each whole. */
    static final Keep FIELDS = Keep.each(FlowRecordJson.FIELDS, Keep.ALL);

    private FlowRecordDecoder() {}

    static Result decode(JsonNode o) throws MalformedRecordException {
        try {
            return Result.one(Dialect.OWN, LogTypes.FLOW_RECORD, FlowRecordJson.read(o));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("flow record: " + e.getMessage());
        }
    }
}
