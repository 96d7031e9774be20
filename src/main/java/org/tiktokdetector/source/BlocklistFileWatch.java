package org.tiktokdetector.source;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistRule;
import org.tiktokdetector.match.BlocklistUpdate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Local mode's control stream: re-reads a list file whenever it changes and emits the difference
 * from the previous version as add/remove updates. Lines that fail validation are logged and left
 * out; the rest of the file still applies. A file that disappears keeps the last list in force.
 */
public class BlocklistFileWatch implements FlatMapFunction<Long, BlocklistUpdate> {
    private static final Logger LOG = LoggerFactory.getLogger(BlocklistFileWatch.class);

    private final String path;
    private final HashMap<String, BlocklistRule> current = new HashMap<>();
    private long lastModified;

    /** @param loaded the rules read from the file when the job was built: already part of the initial list */
    public BlocklistFileWatch(Path path, List<BlocklistRule> loaded) throws IOException {
        this.path = path.toString();
        this.lastModified = Files.getLastModifiedTime(path).toMillis();
        loaded.forEach(r -> current.put(r.key(), r));
    }

    /** A stream of updates from the file, polled every {@code everySeconds}; it never ends. */
    public static DataStream<BlocklistUpdate> stream(StreamExecutionEnvironment env, Path path,
                                                     List<BlocklistRule> loaded, double everySeconds) throws IOException {
        DataGeneratorSource<Long> ticks = new DataGeneratorSource<>(
                i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(1 / everySeconds), Types.LONG);
        return env.fromSource(ticks, EventTime.timeless(), "blocklist file ticks").setParallelism(1)
                .flatMap(new BlocklistFileWatch(path, loaded)).setParallelism(1)
                .uid("blocklist-file-watch").name("watch " + path.getFileName());
    }

    @Override
    public void flatMap(Long tick, Collector<BlocklistUpdate> out) {
        Path p = Path.of(path);
        BlocklistParser.Result parsed;
        try {
            long modified = Files.getLastModifiedTime(p).toMillis();
            if (modified == lastModified) {
                return;
            }
            lastModified = modified;
            parsed = BlocklistParser.parse(p);
        } catch (IOException e) {
            LOG.warn("blocklist {} cannot be read ({}); keeping the list in force", path, e.toString());
            return;
        }
        parsed.rejected().forEach(r -> LOG.warn("blocklist update refused: {}", r));
        Map<String, BlocklistRule> next = new HashMap<>();
        parsed.rules().forEach(r -> next.put(r.key(), r));
        current.forEach((key, rule) -> {
            if (!next.containsKey(key)) {
                out.collect(BlocklistUpdate.remove(rule));
            }
        });
        next.forEach((key, rule) -> {
            if (!rule.equals(current.get(key))) {
                out.collect(BlocklistUpdate.add(rule));
            }
        });
        LOG.info("blocklist {} changed: {} rules now", path, next.size());
        current.clear();
        current.putAll(next);
    }
}
