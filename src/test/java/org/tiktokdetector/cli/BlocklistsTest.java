package org.tiktokdetector.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.match.BlocklistRule;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which rules of a later list are said to change a rule of an earlier one, as detect and `blocklist check` load them. */
class BlocklistsTest {
    @TempDir
    Path dir;

    private String list(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    @Test
    void aRuleWithTheSameKeyThatChangesSomethingIsWarnedAbout() throws Exception {
        String a = list("a.list", """
                [tiktok-app]
                example-app.com
                @@example-exempt.com
                example-cdn.com
                example-same.com
                *.example-wild.com
                """);
        String b = list("b.list", """
                [tiktok-app]
                @@example-app.com
                example-exempt.com
                example-same.com
                @@example-wild.com
                =example-wild.com
                [tiktok-cdn]
                example-cdn.com
                """);
        assertThat(Blocklists.overrides(Blocklists.parse(false, List.of(a, b)))).containsExactly(
                "warning: b.list:2: @@example-app.com switches off the rule example-app.com (tiktok-app, suffix) of a.list:2",
                "warning: b.list:3: example-exempt.com replaces the exception @@example-exempt.com (tiktok-app, suffix) of a.list:3: its names are blocked again",
                "warning: b.list:8: example-cdn.com changes the category of the rule example-cdn.com (tiktok-app, suffix) of a.list:4 to tiktok-cdn");
    }

    @Test
    void detectPrintsTheWarningsAndStillLoads() throws Exception {
        String mine = list("mine.list", "tiktokv.com\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<BlocklistRule> rules = Blocklists.load(true, List.of(mine), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("warning: mine.list:1: tiktokv.com changes the category of the rule tiktokv.com (tiktok-app, suffix) "
                        + "of the built-in default list line ")
                .endsWith(" to unclassified\n")
                .hasLineCount(1);
        assertThat(rules).extracting(r -> r.origin).contains("mine.list:1");
    }
}
