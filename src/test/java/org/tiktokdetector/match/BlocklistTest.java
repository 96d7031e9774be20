package org.tiktokdetector.match;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tiktokdetector.records.Category;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The matching semantics operators got burned by elsewhere (DOMAIN.md "Matching semantics"). */
class BlocklistTest {
    private static final Blocklist LIST = Blocklist.of(List.of(
            rule("tiktok.com", MatchType.SUFFIX, false, Category.TIKTOK_WEB),
            rule("creators.tiktok.com", MatchType.SUFFIX, true, Category.TIKTOK_WEB),
            rule("byteoversea.com", MatchType.WILDCARD, false, Category.TIKTOK_APP),
            rule("v16m.tiktokcdn.com.c.footprint.net", MatchType.EXACT, false, Category.TIKTOK_CDN),
            rule("ads.tiktok.com", MatchType.EXACT, false, Category.BYTEDANCE),
            rule("xn--tiktk-mua.com", MatchType.SUFFIX, false, Category.TIKTOK_APP)));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
            // suffix rule: the name and subdomains, on label boundaries only
            "tiktok.com,                         tiktok.com",
            "www.tiktok.com,                     tiktok.com",
            "a.b.c.tiktok.com,                   tiktok.com",
            "aaatiktok.com,                      none",
            "tiktok.com.evil.example,            none",
            "nottiktok.com,                      none",
            "tiktok.co,                          none",
            "com,                                none",
            // case, trailing dot and IDN never change the verdict
            "WWW.TikTok.COM,                     tiktok.com",
            "www.tiktok.com.,                    tiktok.com",
            "WWW.TIKTOK.COM.,                    tiktok.com",
            "tiktök.com,                         xn--tiktk-mua.com",
            "www.xn--tiktk-mua.com,              xn--tiktk-mua.com",
            "WWW.TIKTÖK.COM.,                    xn--tiktk-mua.com",
            // an exception on a more specific name wins; a more specific block under it wins again
            "creators.tiktok.com,                none",
            "x.creators.tiktok.com,              none",
            // exact host beats the suffix rule above it
            "ads.tiktok.com,                     =ads.tiktok.com",
            "x.ads.tiktok.com,                   tiktok.com",
            // wildcard: subdomains only, not the name itself
            "mon.byteoversea.com,                *.byteoversea.com",
            "a.mon.byteoversea.com,              *.byteoversea.com",
            "byteoversea.com,                    none",
            // exact host on a shared CDN: that host only
            "v16m.tiktokcdn.com.c.footprint.net, =v16m.tiktokcdn.com.c.footprint.net",
            "x.v16m.tiktokcdn.com.c.footprint.net, none",
            "other.c.footprint.net,              none",
            // not host names at all
            "tiktok..com,                        none",
            "'',                                 none",
    })
    void matchesOnLabelBoundaries(String observed, String expectedRule) {
        String name = DomainName.normalise(observed);
        BlocklistRule r = name == null ? null : LIST.match(name);
        assertThat(r == null ? null : r.text()).as(observed).isEqualTo(expectedRule);
    }

    @ParameterizedTest
    @CsvSource({"tiktok.com, tiktok.com", "TikTok.Com., tiktok.com", "bücher.example, xn--bcher-kva.example",
            "xn--BCHER-kva.example, xn--bcher-kva.example", "a_b.example, a_b.example"})
    void normalises(String raw, String expected) {
        assertThat(DomainName.normalise(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"a..b", "'.'", "-", "a b.com", "x.com/path", "http://x.com"})
    void rejectsNonNames(String raw) {
        assertThat(DomainName.normalise(raw)).isNull();
    }

    @org.junit.jupiter.api.Test
    void rejectsOverlongNames() {
        assertThat(DomainName.normalise("a".repeat(64) + ".com")).isNull();
        assertThat(DomainName.normalise(("a".repeat(60) + ".").repeat(5) + "com")).isNull();
    }

    @org.junit.jupiter.api.Test
    void updatesMoveTheVersionOnlyWhenTheListChanges() {
        Blocklist b = Blocklist.of(List.of(rule("tiktok.com", MatchType.SUFFIX, false, Category.TIKTOK_WEB)));
        BlocklistRule added = rule("lemon8-app.com", MatchType.SUFFIX, false, Category.LEMON8);
        assertThat(b.match("www.lemon8-app.com")).isNull();
        assertThat(b.apply(BlocklistUpdate.add(added))).isTrue();
        assertThat(b.version()).isEqualTo(1);
        assertThat(b.match("www.lemon8-app.com")).isEqualTo(added);
        assertThat(b.apply(BlocklistUpdate.add(added))).isFalse();
        assertThat(b.version()).isEqualTo(1);
        assertThat(b.apply(BlocklistUpdate.remove(added))).isTrue();
        assertThat(b.apply(BlocklistUpdate.remove(added))).isFalse();
        assertThat(b.version()).isEqualTo(2);
        assertThat(b.match("www.lemon8-app.com")).isNull();
        assertThat(b.size()).isEqualTo(1);
        assertThat(b.rules()).extracting(BlocklistRule::text).containsExactly("tiktok.com");
    }

    /**
     * Names as sensors hand them to the matcher, unnormalised: the one pass from the right must reach the verdict
     * that normalising first reaches, and say "not a host name" (counted apart) exactly when normalising fails.
     * Characters outside ASCII, in and outside Latin-1, go to the IDN path wherever they stand; '?' (what a
     * character outside Latin-1 becomes in a Latin-1 copy of the text) is never part of a name.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
            "WWW.TIKTOK.COM,                     tiktok.com",
            "www.tiktok.com.,                    tiktok.com",
            "www.tiktok.com..,                   not a name",
            "www.tiktok.com.evil.example.,       none",
            "tiktök.com,                         xn--tiktk-mua.com",
            "TIKTÖK.COM,                         xn--tiktk-mua.com",
            "café.tiktok.com,                    tiktok.com",
            "ÇA.TIKTOK.COM.,                     tiktok.com",
            "тикток.tiktok.com,                  tiktok.com",
            "www.тикток.com,                     none",
            "\uD83D\uDE00.tiktok.com,            tiktok.com",
            "a?b.tiktok.com,                     not a name",
            "?.tiktok.com,                       not a name",
            "www.tiktok.com?,                    not a name",
            "тик?ток.tiktok.com,                 not a name",
            "é?.tiktok.com,                      not a name",
            "www.tik tok.com,                    not a name",
            "-www.tiktok.com,                    not a name",
            "www-.tiktok.com,                    not a name",
            ".tiktok.com,                        not a name",
    })
    void observedNamesGetTheVerdictOfTheirNormalForm(String observed, String expected) {
        BlocklistRule r = LIST.decide(observed);
        String verdict = r == Blocklist.NOT_A_NAME ? "not a name" : r == null ? null : r.text();
        assertThat(verdict).as(observed).isEqualTo(expected);
        String name = DomainName.normalise(observed);
        assertThat(r).as(observed).isEqualTo(name == null ? Blocklist.NOT_A_NAME : LIST.decide(name));
    }

    @org.junit.jupiter.api.Test
    void namesAtTheLengthLimitsAreMatchedAndOneCharacterMoreIsNotAName() {
        String label63 = "a".repeat(63);
        assertThat(LIST.decide(label63 + ".tiktok.com").text()).isEqualTo("tiktok.com");
        assertThat(LIST.decide("A" + label63 + ".tiktok.com")).isSameAs(Blocklist.NOT_A_NAME);
        assertThat(LIST.decide("x." + label63 + ".tiktok.com.").text()).isEqualTo("tiktok.com");
        // 253 characters in all, with and without a trailing dot, in any case; one more is too long.
        String longest = ("a".repeat(60) + ".").repeat(3) + "a".repeat(59) + ".tiktok.com";
        assertThat(longest).hasSize(253);
        assertThat(LIST.decide(longest).text()).isEqualTo("tiktok.com");
        assertThat(LIST.decide(longest.toUpperCase(java.util.Locale.ROOT) + ".").text()).isEqualTo("tiktok.com");
        assertThat(LIST.decide("b" + longest)).isSameAs(Blocklist.NOT_A_NAME);
        assertThat(LIST.decide("é" + longest)).isSameAs(Blocklist.NOT_A_NAME); // the IDN path measures it too
    }

    static BlocklistRule rule(String name, MatchType type, boolean allow, Category category) {
        return new BlocklistRule(name, type, allow, category, "test");
    }
}
