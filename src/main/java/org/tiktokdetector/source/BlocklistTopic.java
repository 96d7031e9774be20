package org.tiktokdetector.source;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistRule;
import org.tiktokdetector.match.BlocklistUpdate;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.DeadLetter;

import java.nio.charset.StandardCharsets;

/**
 * Kafka mode's control stream: turns the records of the blocklist topic into list updates. One record
 * per rule: key = the rule in list syntax ("tiktokv.com", "=host", "*.name", "@@name"), value = its
 * category label ("tiktok-app"; empty = unclassified), a tombstone (null value) removes the rule. A
 * compacted topic therefore holds the current list. A record that is not a valid rule goes, with the
 * reason, to {@link #REJECTED} (and from there to the dead letters), never into the list.
 */
public class BlocklistTopic extends ProcessFunction<RawRecord, BlocklistUpdate> {
    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected-blocklist-records") {};
    private static final Logger LOG = LoggerFactory.getLogger(BlocklistTopic.class);

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<BlocklistUpdate> out) {
        try {
            BlocklistUpdate update = toUpdate(record);
            LOG.info("blocklist {}/{}@{}: {}", record.source, record.partition, record.offset, update);
            out.collect(update);
        } catch (IllegalArgumentException e) {
            byte[] original = record.key == null ? new byte[0] : record.key;
            ctx.output(REJECTED, DeadLetter.of(record.source, -1, record.partition, record.offset, original, e.getMessage()));
        }
    }

    /** @throws IllegalArgumentException saying why the record is not a rule */
    public static BlocklistUpdate toUpdate(RawRecord record) {
        if (record.key == null) {
            throw new IllegalArgumentException("blocklist record without a key: the key carries the rule, e.g. \"tiktokv.com\"");
        }
        String text = new String(record.key, StandardCharsets.UTF_8);
        String origin = record.source + "/" + record.partition + "@" + record.offset;
        Category category = Category.UNCLASSIFIED;
        if (record.value != null) {
            String label = new String(record.value, StandardCharsets.UTF_8).strip();
            if (!label.isEmpty()) {
                category = Category.fromLabel(label);
                if (category == null) {
                    throw new IllegalArgumentException("blocklist rule \"" + text + "\": unknown category \"" + label
                            + "\"; known: " + Category.labels());
                }
            }
        }
        BlocklistRule rule;
        try {
            rule = BlocklistParser.parseRule(text, category, origin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("blocklist rule \"" + text + "\" refused: " + e.getMessage());
        }
        return record.value == null ? BlocklistUpdate.remove(rule) : BlocklistUpdate.add(rule);
    }
}
