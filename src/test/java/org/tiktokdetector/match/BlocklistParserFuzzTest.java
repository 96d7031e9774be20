package org.tiktokdetector.match;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Hostile list files into the list parser, and the rules it accepts into the matcher: a line is a rule or a
 * rejection with a reason, never an exception; the index built from the accepted rules answers every lookup.
 */
class BlocklistParserFuzzTest {
    @FuzzTest(maxDuration = "4h")
    void list(byte[] file) throws IOException {
        String text = new String(file, StandardCharsets.UTF_8);
        BlocklistParser.Result r = BlocklistParser.parse(new BufferedReader(new StringReader(text)), "fuzz.list");
        r.rejected().forEach(x -> assertNotNull(x.toString()));
        Blocklist list = Blocklist.of(r.rules());
        for (String line : text.split("\n", 64)) {
            String name = DomainName.normalise(line.strip());
            if (name != null) {
                list.match(name);
            }
        }
        list.match("api16-normal-c-useast1a.tiktokv.com");
    }
}
