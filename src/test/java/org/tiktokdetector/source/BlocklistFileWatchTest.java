package org.tiktokdetector.source;

import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistUpdate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BlocklistFileWatchTest {
    @TempDir
    Path dir;

    private static final class Out implements Collector<BlocklistUpdate> {
        final List<String> updates = new ArrayList<>();

        @Override
        public void collect(BlocklistUpdate u) {
            updates.add(u.op + " " + u.rule.text() + " " + u.rule.category.label());
        }

        @Override
        public void close() {}
    }

    @Test
    void emitsWhatChangedWhenTheFileChangesAndNothingOtherwise() throws Exception {
        Path list = dir.resolve("updates.list");
        Files.writeString(list, "[tiktok-app]\ntiktokv.com\ntiktokv.us\n");
        Files.setLastModifiedTime(list, FileTime.fromMillis(1_000_000));
        BlocklistFileWatch watch = new BlocklistFileWatch(list, BlocklistParser.parse(list).rules());
        Out out = new Out();

        watch.flatMap(1L, out);
        assertThat(out.updates).isEmpty();

        Files.writeString(list, "[tiktok-app]\ntiktokv.com\n[lemon8]\nlemon8-app.com\nco.uk\n");
        Files.setLastModifiedTime(list, FileTime.fromMillis(2_000_000));
        watch.flatMap(2L, out);
        assertThat(out.updates).containsExactlyInAnyOrder("REMOVE tiktokv.us tiktok-app", "ADD lemon8-app.com lemon8");

        watch.flatMap(3L, out);
        assertThat(out.updates).hasSize(2);

        Files.delete(list);
        watch.flatMap(4L, out); // a vanished file keeps the list in force
        assertThat(out.updates).hasSize(2);
    }
}
