package org.tiktokdetector.decode;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.FlowRecord;

/**
 * Flow records go on; lines that could not be decoded go whole, with the reason, to the
 * {@link #DEAD_LETTERS} side output; record types we do not use are counted. The job never fails
 * on data.
 */
public class SplitDecodedLines extends ProcessFunction<DecodedLine, FlowRecord> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    public static final String IGNORED = "ignored";
    public static final String MALFORMED = "malformed";

    private transient LongCounter ignored;
    private transient LongCounter malformed;

    @Override
    public void open(OpenContext openContext) {
        ignored = getRuntimeContext().getLongCounter(IGNORED);
        malformed = getRuntimeContext().getLongCounter(MALFORMED);
    }

    @Override
    public void processElement(DecodedLine line, Context ctx, Collector<FlowRecord> out) {
        if (line.deadLetter != null) {
            malformed.add(1);
            ctx.output(DEAD_LETTERS, line.deadLetter);
        } else if (line.ignored()) {
            ignored.add(1);
        }
        for (FlowRecord r : line.records) {
            out.collect(r);
        }
    }
}
