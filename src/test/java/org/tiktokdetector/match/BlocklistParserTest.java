package org.tiktokdetector.match;

import org.junit.jupiter.api.Test;
import org.tiktokdetector.records.Category;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;

import static org.assertj.core.api.Assertions.assertThat;

class BlocklistParserTest {
    private static BlocklistParser.Result parse(String text) throws IOException {
        return BlocklistParser.parse(new BufferedReader(new StringReader(text)), "list.txt");
    }

    @Test
    void readsEachFormatWithItsMeaning() throws IOException {
        BlocklistParser.Result r = parse("""
                # plain list: name and subdomains
                tiktokv.com
                ! Adblock comment
                [Adblock Plus 2.0]
                ||byteoversea.com^
                ||musical.ly^$important
                @@||creators.tiktok.com^
                # hosts file: exactly these names, local names skipped
                127.0.0.1 localhost
                0.0.0.0 v16.tiktokcdn.com p16.tiktokcdn.com  # two CDN hosts
                :: log.tiktokv.com
                [capcut]
                capcutapi.com
                =mobile.capcut.com
                *.capcut.net
                @@help.capcut.com
                """);
        assertThat(r.rejected()).isEmpty();
        assertThat(r.rules()).extracting(x -> x.text() + " " + x.category.label() + " " + x.origin).containsExactly(
                "tiktokv.com unclassified list.txt:2",
                "byteoversea.com unclassified list.txt:5",
                "musical.ly unclassified list.txt:6",
                "@@creators.tiktok.com unclassified list.txt:7",
                "=v16.tiktokcdn.com unclassified list.txt:10",
                "=p16.tiktokcdn.com unclassified list.txt:10",
                "=log.tiktokv.com unclassified list.txt:11",
                "capcutapi.com capcut list.txt:13",
                "=mobile.capcut.com capcut list.txt:14",
                "*.capcut.net capcut list.txt:15",
                "@@help.capcut.com capcut list.txt:16");
    }

    @Test
    void rejectsEveryBadLineWithItsReason() throws IOException {
        BlocklistParser.Result r = parse("""
                com
                co.uk
                akamaized.net
                *.fastly.net
                ||blogspot.com^
                =akamaized.net
                tiktok..com
                1.2.3.4
                0.0.0.0
                /tiktok\\.com/
                |https://tiktok.com|
                ||tiktok.com^$third-party,domain=x.com
                tiktok.com extra words
                [no-such-category]
                tiktokv.com
                """);
        assertThat(r.rejected()).extracting(BlocklistParser.Rejected::line, BlocklistParser.Rejected::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "com is a public suffix: a suffix rule would match every domain under it"),
                org.assertj.core.groups.Tuple.tuple(2, "co.uk is a public suffix: a suffix rule would match every domain under it"),
                org.assertj.core.groups.Tuple.tuple(3, "akamaized.net is a shared CDN domain: a suffix rule would match unrelated sites; list exact hosts as \"=host\" instead"),
                org.assertj.core.groups.Tuple.tuple(4, "fastly.net is a shared CDN domain: a wildcard rule would match unrelated sites; list exact hosts as \"=host\" instead"),
                org.assertj.core.groups.Tuple.tuple(5, "blogspot.com is a public suffix: a suffix rule would match every domain under it"),
                org.assertj.core.groups.Tuple.tuple(7, "\"tiktok..com\" is not a valid host name"),
                org.assertj.core.groups.Tuple.tuple(8, "an address without a name; this list matches names, not addresses"),
                org.assertj.core.groups.Tuple.tuple(9, "an address without a name; this list matches names, not addresses"),
                org.assertj.core.groups.Tuple.tuple(10, "regular expressions and patterns are not supported: list names, \"*.name\" or \"||name^\""),
                org.assertj.core.groups.Tuple.tuple(11, "regular expressions and patterns are not supported: list names, \"*.name\" or \"||name^\""),
                org.assertj.core.groups.Tuple.tuple(13, "expected one name per line, or a hosts line \"0.0.0.0 name\""),
                org.assertj.core.groups.Tuple.tuple(14, "unknown category [no-such-category]; known: " + Category.labels()));
        // An exact host on a shared CDN is fine, and Adblock options after '$' are ignored.
        assertThat(r.rules()).extracting(BlocklistRule::text).containsExactly("=akamaized.net", "tiktok.com", "tiktokv.com");
    }

    @Test
    void defaultListIsValidAndCoversEveryCategory() {
        BlocklistParser.Result r = BlocklistParser.parseDefault();
        assertThat(r.rejected()).isEmpty();
        assertThat(r.rules()).extracting(x -> x.category).contains(Category.TIKTOK_APP, Category.TIKTOK_WEB,
                Category.TIKTOK_CDN, Category.BYTEDANCE, Category.CAPCUT, Category.LEMON8, Category.DOUYIN);
        assertThat(r.rules()).noneMatch(x -> x.category == Category.UNCLASSIFIED);
        Blocklist b = Blocklist.of(r.rules());
        assertThat(b.match("api16-normal-c-useast1a.tiktokv.com").category).isEqualTo(Category.TIKTOK_APP);
        assertThat(b.match("v16-webapp-prime.tiktok.com").category).isEqualTo(Category.TIKTOK_WEB);
        assertThat(b.match("p16-sign-va.tiktokcdn.com").category).isEqualTo(Category.TIKTOK_CDN);
        assertThat(b.match("v16-tiktokcdn-com.akamaized.net").category).isEqualTo(Category.TIKTOK_CDN);
        assertThat(b.match("other-site.akamaized.net")).isNull();
        assertThat(b.match("aaatiktok.com")).isNull();
    }
}
