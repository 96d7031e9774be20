package org.tiktokdetector.match;

import org.junit.jupiter.api.Test;
import org.tiktokdetector.records.Category;

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
        // The table hashes from the right: "na" and "0c" give the same hash ('a'*31+'n' == 'c'*31+'0'), so do
        // their ".com" names, and so does every name that ends in either.
        assertThat(NameTable.hash("na.com")).isEqualTo(NameTable.hash("0c.com"));
        BlocklistRule na = rule("na.com", MatchType.SUFFIX, false, Category.TIKTOK_APP);
        BlocklistRule c0 = rule("0c.com", MatchType.EXACT, false, Category.TIKTOK_CDN);
        Blocklist b = Blocklist.of(List.of(na, c0));
        assertThat(b.match("www.na.com")).isEqualTo(na);
        assertThat(b.match("0c.com")).isEqualTo(c0);
        assertThat(b.match("www.0c.com")).isNull();
        b.apply(BlocklistUpdate.remove(na));
        assertThat(b.match("www.na.com")).isNull();
        assertThat(b.match("0c.com")).isEqualTo(c0);
        b.apply(BlocklistUpdate.add(na));
        b.apply(BlocklistUpdate.remove(c0));
        assertThat(b.match("na.com")).isEqualTo(na);
        assertThat(b.match("0c.com")).isNull();
    }

    @Test
    void aSuffixWhoseHashCollidesEndsTheWalk() {
        // "na.com" is in the table only as the suffix of the rule's name. "x.0c.com" reaches a suffix with its hash,
        // and then a whole name with the rule's hash: only comparing the names tells them apart.
        assertThat(NameTable.hash("x.0c.com")).isEqualTo(NameTable.hash("x.na.com"));
        BlocklistRule deep = rule("x.na.com", MatchType.EXACT, false, Category.TIKTOK_APP);
        Blocklist b = Blocklist.of(List.of(deep));
        assertThat(b.match("x.na.com")).isEqualTo(deep);
        assertThat(b.match("x.0c.com")).isNull();
        assertThat(b.match("na.com")).isNull();
    }

    @Test
    void suffixesOfRuleNamesStayWhileANameBelowHasRules() {
        BlocklistRule deep = rule("deep.a.example.com", MatchType.SUFFIX, false, Category.TIKTOK_APP);
        BlocklistRule mid = rule("example.com", MatchType.WILDCARD, false, Category.TIKTOK_CDN);
        BlocklistRule exact = rule("example.com", MatchType.EXACT, true, Category.TIKTOK_CDN);
        Blocklist b = Blocklist.of(List.of(deep));
        assertThat(b.match("x.deep.a.example.com")).isEqualTo(deep);
        assertThat(b.match("a.example.com")).isNull();
        // example.com gets rules of its own and loses them again: deep.a.example.com must still be reached through it.
        b.apply(BlocklistUpdate.add(mid));
        b.apply(BlocklistUpdate.add(exact));
        assertThat(b.match("a.example.com")).isEqualTo(mid);
        assertThat(b.mostSpecific("example.com")).isEqualTo(exact);
        b.apply(BlocklistUpdate.remove(mid));
        b.apply(BlocklistUpdate.remove(exact));
        assertThat(b.match("a.example.com")).isNull();
        assertThat(b.match("x.deep.a.example.com")).isEqualTo(deep);
        assertThat(b.rules()).containsExactly(deep);
        // With the last rule below gone, nothing is left: a new rule under the same suffixes starts from scratch.
        b.apply(BlocklistUpdate.remove(deep));
        assertThat(b.rules()).isEmpty();
        BlocklistRule sibling = rule("b.example.com", MatchType.SUFFIX, false, Category.TIKTOK_APP);
        b.apply(BlocklistUpdate.add(sibling));
        assertThat(b.match("x.deep.a.example.com")).isNull();
        assertThat(b.match("x.b.example.com")).isEqualTo(sibling);
    }

    @Test
    void aNameWhoseHashIsZeroIsStored() {
        // Fingerprint 0 marks a free slot, so "qce4agy2" (hash 0) is stored with fingerprint 1, as is the name found here.
        assertThat(NameTable.hash("qce4agy2")).isZero();
        String other = sharingAFingerprint("qce4agy2", 1).get(0);
        BlocklistRule zero = rule("qce4agy2", MatchType.EXACT, false, Category.TIKTOK_APP);
        BlocklistRule one = rule(other, MatchType.EXACT, false, Category.TIKTOK_APP);
        Blocklist b = Blocklist.of(List.of(zero, one));
        assertThat(b.mostSpecific("qce4agy2")).isEqualTo(zero);
        assertThat(b.mostSpecific(other)).isEqualTo(one);
        b.apply(BlocklistUpdate.remove(zero));
        assertThat(b.mostSpecific("qce4agy2")).isNull();
        assertThat(b.mostSpecific(other)).isEqualTo(one);
    }

    @Test
    void namesWithTheSameFingerprintStayApart() {
        // 60 names whose slots all carry the fingerprint of "tiktok.com": the table grows and shifts them while
        // only the names tell them apart.
        List<String> names = sharingAFingerprint("tiktok.com", 60);
        Blocklist b = new Blocklist();
        for (String n : names) {
            b.apply(BlocklistUpdate.add(rule(n, MatchType.SUFFIX, false, Category.TIKTOK_APP)));
        }
        for (int i = 0; i < names.size(); i += 2) {
            b.apply(BlocklistUpdate.remove(rule(names.get(i), MatchType.SUFFIX, false, Category.TIKTOK_APP)));
        }
        assertThat(b.size()).isEqualTo(30);
        for (int i = 0; i < names.size(); i++) {
            BlocklistRule r = b.match("www." + names.get(i));
            assertThat(r == null ? null : r.name).as(names.get(i)).isEqualTo(i % 2 == 0 ? null : names.get(i));
        }
        assertThat(b.match("tiktok.com")).isNull();
    }

    /** The first {@code count} names "n.com" (n = 0, 1, ...) other than {@code name} with its fingerprint. */
    private static List<String> sharingAFingerprint(String name, int count) {
        byte fingerprint = NameTable.fingerprint(NameTable.hash(name));
        List<String> out = new ArrayList<>();
        for (int n = 0; out.size() < count; n++) {
            String candidate = n + ".com";
            if (NameTable.fingerprint(NameTable.hash(candidate)) == fingerprint) {
                out.add(candidate);
            }
        }
        return out;
    }

    /** Random adds and removes (the table grows and shifts entries back), checked against a plain map walk. */
    @Test
    void agreesWithAPlainMapThroughChurn() {
        Random rnd = new Random(7);
        Blocklist b = new Blocklist();
        Map<String, BlocklistRule> reference = new HashMap<>();
        String[] words = {"na", "0c", "tiktok", "x", "bo", "cp", "a-1", "q_z"};
        String[] tlds = {"com", "net", "na", "0c"};
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
            probes.add(name.substring(name.indexOf('.') + 1));
        }
        assertThat(b.size()).isEqualTo(reference.size());
        assertThat(b.rules()).containsExactlyInAnyOrderElementsOf(reference.values());
        for (String p : probes) {
            assertThat(b.mostSpecific(p)).as(p).isEqualTo(mostSpecific(reference, p));
        }
    }

    /**
     * A lookup takes the name as observed and checks, lower-cases and hashes it in one pass: against
     * {@link DomainName#normalise} and the plain map walk on its result, on random text near the rules (upper case,
     * trailing dots, hyphens and dots at label ends, bad characters, Latin-1 and other Unicode, overlong labels).
     */
    @Test
    void anObservedNameIsJudgedAsItsNormalForm() {
        Random rnd = new Random(3);
        String[] labels = {"tiktok", "com", "a", "na", "0c", "x-y", "q_z", "TikTok", "COM", "tiktök", "xn--tiktk-mua",
                "-a", "a-", "", "a b", "ü", "\u0141", "a".repeat(63), "b".repeat(64), "c".repeat(200)};
        Map<String, BlocklistRule> reference = new HashMap<>();
        List<BlocklistRule> rules = new ArrayList<>();
        for (String name : List.of("tiktok.com", "na.com", "com", "x-y.na.com", "q_z.0c.com", "xn--tiktk-mua.com", "a.tiktok.com")) {
            for (MatchType type : MatchType.values()) {
                if (rnd.nextBoolean()) {
                    BlocklistRule r = rule(name, type, rnd.nextInt(4) == 0, Category.UNCLASSIFIED);
                    rules.add(r);
                    reference.put(r.key(), r);
                }
            }
        }
        Blocklist b = Blocklist.of(rules);
        int names = 0;
        for (int round = 0; round < 100_000; round++) {
            StringBuilder text = new StringBuilder(labels[rnd.nextInt(labels.length)]);
            for (int n = rnd.nextInt(4); n > 0; n--) {
                text.insert(0, labels[rnd.nextInt(labels.length)] + (rnd.nextInt(20) == 0 ? ".." : "."));
            }
            if (rnd.nextInt(10) == 0) {
                text.append('.');
            }
            String observed = text.toString();
            String name = DomainName.normalise(observed);
            names += name == null ? 0 : 1;
            assertThat(b.decide(observed)).as(observed).isEqualTo(name == null ? Blocklist.NOT_A_NAME : b.decide(name));
            assertThat(b.mostSpecific(observed)).as(observed).isEqualTo(name == null ? null : mostSpecific(reference, name));
        }
        assertThat(names).as("host names among the texts").isBetween(20_000, 80_000);
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
