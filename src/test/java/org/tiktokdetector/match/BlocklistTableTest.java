package org.tiktokdetector.match;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tiktokdetector.match.BlocklistTest.rule;

/** The hash table behind {@link Blocklist}: colliding hashes, growth, and removals that shift probe runs. */
class BlocklistTableTest {
    @Test
    void namesWithTheSameHashStayApart() {
        // "an" and "c0" have the same String.hashCode (97*31+110 == 99*31+48), so do their ".com" names.
        assertThat("an.com".hashCode()).isEqualTo("c0.com".hashCode());
        BlocklistRule an = rule("an.com", MatchType.SUFFIX, false, Category.TIKTOK_APP);
        BlocklistRule c0 = rule("c0.com", MatchType.EXACT, false, Category.TIKTOK_CDN);
        Blocklist b = Blocklist.of(List.of(an, c0));
        assertThat(b.match("www.an.com")).isEqualTo(an);
        assertThat(b.match("c0.com")).isEqualTo(c0);
        assertThat(b.match("www.c0.com")).isNull();
        b.apply(BlocklistUpdate.remove(an));
        assertThat(b.match("www.an.com")).isNull();
        assertThat(b.match("c0.com")).isEqualTo(c0);
        b.apply(BlocklistUpdate.add(an));
        b.apply(BlocklistUpdate.remove(c0));
        assertThat(b.match("an.com")).isEqualTo(an);
        assertThat(b.match("c0.com")).isNull();
    }

    @Test
    void aNameWhoseHashIsZeroIsStored() {
        // Slot keys use 0 for "free", so hash 0 is stored as 1: "" (hash 0) and "\u0001" (hash 1) share a key.
        BlocklistRule zero = rule("", MatchType.EXACT, false, Category.TIKTOK_APP);
        BlocklistRule one = rule("\u0001", MatchType.EXACT, false, Category.TIKTOK_APP);
        Blocklist b = Blocklist.of(List.of(zero, one));
        assertThat(b.mostSpecific("")).isEqualTo(zero);
        assertThat(b.mostSpecific("\u0001")).isEqualTo(one);
        b.apply(BlocklistUpdate.remove(zero));
        assertThat(b.mostSpecific("")).isNull();
        assertThat(b.mostSpecific("\u0001")).isEqualTo(one);
    }

    /** Random adds and removes (the table grows and shifts entries back), checked against a plain map walk. */
    @Test
    void agreesWithAPlainMapThroughChurn() {
        Random rnd = new Random(7);
        Blocklist b = new Blocklist();
        Map<String, BlocklistRule> reference = new HashMap<>();
        String[] words = {"an", "c0", "tiktok", "x", "bo", "cp", "a-1", "q_z"};
        String[] tlds = {"com", "net", "an", "c0"};
        List<String> probes = new ArrayList<>();
        for (int round = 0; round < 20_000; round++) {
            String name = words[rnd.nextInt(words.length)] + rnd.nextInt(300) + "." + tlds[rnd.nextInt(tlds.length)];
            if (rnd.nextInt(3) == 0) {
                name = words[rnd.nextInt(words.length)] + "." + name;
            }
            MatchType type = MatchType.values()[rnd.nextInt(3)];
            BlocklistRule r = rule(name, type, rnd.nextInt(5) == 0, Category.UNCLASSIFIED);
            boolean add = rnd.nextInt(5) < 3;
            b.apply(add ? BlocklistUpdate.add(r) : BlocklistUpdate.remove(r));
            if (add) {
                reference.put(r.key(), r);
            } else {
                reference.remove(r.key());
            }
            probes.add(name);
            probes.add("www." + name);
        }
        assertThat(b.size()).isEqualTo(reference.size());
        assertThat(b.rules()).containsExactlyInAnyOrderElementsOf(reference.values());
        for (String p : probes) {
            assertThat(b.mostSpecific(p)).as(p).isEqualTo(mostSpecific(reference, p));
        }
    }

    /** The lookup as the README defines it, with substrings. */
    private static BlocklistRule mostSpecific(Map<String, BlocklistRule> rules, String name) {
        BlocklistRule own = rules.getOrDefault("exact:" + name, rules.get("suffix:" + name));
        if (own != null) {
            return own;
        }
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
            String parent = name.substring(dot + 1);
            BlocklistRule r = rules.getOrDefault("suffix:" + parent, rules.get("wildcard:" + parent));
            if (r != null) {
                return r;
            }
        }
        return null;
    }
}
