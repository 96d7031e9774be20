package org.tiktokdetector.decode;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.tiktokdetector.decode.log.LogLineDecoder;
import org.tiktokdetector.decode.log.MalformedRecordException;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.source.RawRecord;

import java.nio.charset.StandardCharsets;

/**
 * Decodes sensor log lines of any supported dialect into flow records. A line that cannot be
 * decoded goes whole, with the reason, to the {@link #DEAD_LETTERS} side output; records of types
 * we do not use are counted and dropped. The job never fails on data.
 */
public class DecodeLogLines extends ProcessFunction<RawRecord, FlowRecord> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    public static final String RECORDS = "records";
    public static final String IGNORED = "ignored";
    public static final String MALFORMED = "malformed";

    private transient LogLineDecoder decoder;
    private transient LongCounter records;
    private transient LongCounter ignored;
    private transient LongCounter malformed;

    @Override
    public void open(OpenContext openContext) {
        decoder = new LogLineDecoder();
        records = getRuntimeContext().getLongCounter(RECORDS);
        ignored = getRuntimeContext().getLongCounter(IGNORED);
        malformed = getRuntimeContext().getLongCounter(MALFORMED);
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<FlowRecord> out) {
        try {
            LogLineDecoder.Result decoded = decoder.decode(new String(raw.value, StandardCharsets.UTF_8));
            if (decoded.ignored()) {
                ignored.add(1);
            }
            for (FlowRecord r : decoded.records()) {
                records.add(1);
                out.collect(r);
            }
        } catch (MalformedRecordException e) {
            malformed.add(1);
            ctx.output(DEAD_LETTERS, DeadLetter.of(raw.source, raw.line, raw.partition, raw.offset, raw.value, e.getMessage()));
        }
    }
}
