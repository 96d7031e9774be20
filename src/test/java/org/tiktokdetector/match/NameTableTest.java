package org.tiktokdetector.match;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The table of names on its own: suffixes found in place, colliding hashes and fingerprints, growth, deletes that shift runs. */
class NameTableTest {
    private static final class Named extends NameTable.Entry {
        final int value;

        Named(String name, int value) {
            super(name);
            this.value = value;
        }
    }

    private static Integer add(NameTable<Named> t, String name, int value) {
        assertThat(find(t, name)).as("%s is new", name).isNull();
        return t.insert(new Named(name, value), NameTable.hash(name)).value;
    }

    private static Integer find(NameTable<Named> t, String name) {
        return value(t, t.find(name, 0, name.length(), NameTable.hash(name), false));
    }

    private static Integer value(NameTable<Named> t, int slot) {
        return slot < 0 ? null : t.at(slot).value;
    }

    /** The hash of text[from..end), stepped from the right as a lookup does. */
    private static int hash(String text, int from, int end) {
        int h = 0;
        for (int i = end - 1; i >= from; i--) {
            h = NameTable.step(h, Character.toLowerCase(text.charAt(i)));
        }
        return h;
    }

    @Test
    void theHashOfASuffixIsAStepOnTheWayToTheWholeName() {
        String name = "www.tiktok.com";
        int h = 0;
        for (int i = name.length() - 1; i >= 0; i--) {
            h = NameTable.step(h, name.charAt(i));
            assertThat(NameTable.hash(name.substring(i))).isEqualTo(h);
        }
        assertThat(h).isEqualTo(NameTable.hash(name));
    }

    @Test
    void findsASuffixOfALongerTextInPlace() {
        NameTable<Named> t = new NameTable<>(0);
        add(t, "tiktok.com", 1);
        String text = "www.tiktok.com.";
        int end = text.length() - 1; // a trailing dot is not part of the name
        assertThat(value(t, t.find(text, 4, end, hash(text, 4, end), false))).isEqualTo(1);
        assertThat(t.find(text, 3, end, hash(text, 3, end), false)).isNegative(); // ".tiktok.com"
        assertThat(t.find(text, 0, end, hash(text, 0, end), false)).isNegative();
        assertThat(t.find(text, 11, end, hash(text, 11, end), false)).isNegative(); // "com"
        assertThat(t.find(text, 4, text.length(), hash(text, 4, text.length()), false)).isNegative(); // "tiktok.com."
    }

    @Test
    void comparesUpperCaseOnlyWhenAskedTo() {
        NameTable<Named> t = new NameTable<>(0);
        add(t, "tiktok.com", 1);
        String text = "WWW.TikTok.COM";
        int h = hash(text, 4, text.length());
        assertThat(h).isEqualTo(NameTable.hash("tiktok.com"));
        assertThat(value(t, t.find(text, 4, text.length(), h, true))).isEqualTo(1);
        assertThat(t.find(text, 4, text.length(), h, false)).isNegative();
    }

    @Test
    void namesWithTheSameHashStayApart() {
        // 'a'*31+'n' == 'c'*31+'0': "na.com" and "0c.com" share their hash (hashed from the right).
        assertThat(NameTable.hash("na.com")).isEqualTo(NameTable.hash("0c.com"));
        NameTable<Named> t = new NameTable<>(0);
        add(t, "na.com", 1);
        assertThat(find(t, "0c.com")).isNull();
        add(t, "0c.com", 2);
        assertThat(find(t, "na.com")).isEqualTo(1);
        assertThat(find(t, "0c.com")).isEqualTo(2);
        t.delete(t.find("na.com", 0, 6, NameTable.hash("na.com"), false));
        assertThat(find(t, "na.com")).isNull();
        assertThat(find(t, "0c.com")).isEqualTo(2);
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void aNameIsNotTakenForALongerOneWithItsHash() {
        // "qce4agy2" hashes to 0, so appending it leaves a hash unchanged: only the lengths tell these two apart.
        assertThat(NameTable.hash("qce4agy2")).isZero();
        assertThat(NameTable.hash("tiktok.comqce4agy2")).isEqualTo(NameTable.hash("tiktok.com"));
        NameTable<Named> t = new NameTable<>(0);
        add(t, "tiktok.comqce4agy2", 1);
        assertThat(find(t, "tiktok.com")).isNull();
        add(t, "tiktok.com", 2);
        assertThat(find(t, "tiktok.comqce4agy2")).isEqualTo(1);
        assertThat(find(t, "tiktok.com")).isEqualTo(2);
    }

    @Test
    void aNameWhoseHashIsZeroIsStored() {
        // Fingerprint 0 marks a free slot: a hash of 0 must still give a stored name a non-zero one.
        assertThat(NameTable.fingerprint(0)).isNotZero();
        NameTable<Named> t = new NameTable<>(0);
        add(t, "", 1);
        add(t, "qce4agy2", 2);
        assertThat(find(t, "")).isEqualTo(1);
        assertThat(find(t, "qce4agy2")).isEqualTo(2);
    }

    @Test
    void namesWithTheSameFingerprintGrowAndShiftApart() {
        // 200 names with one fingerprint: every probe that reaches another's slot must compare hashes and names.
        byte fingerprint = NameTable.fingerprint(NameTable.hash("tiktok.com"));
        List<String> names = new ArrayList<>();
        for (int n = 0; names.size() < 200; n++) {
            if (NameTable.fingerprint(NameTable.hash(n + ".com")) == fingerprint) {
                names.add(n + ".com");
            }
        }
        NameTable<Named> t = new NameTable<>(0);
        for (int i = 0; i < names.size(); i++) {
            add(t, names.get(i), i);
        }
        for (int i = 0; i < names.size(); i += 2) {
            String name = names.get(i);
            t.delete(t.find(name, 0, name.length(), NameTable.hash(name), false));
        }
        assertThat(t.size()).isEqualTo(100);
        for (int i = 0; i < names.size(); i++) {
            assertThat(find(t, names.get(i))).as(names.get(i)).isEqualTo(i % 2 == 0 ? null : i);
        }
        assertThat(find(t, "tiktok.com")).isNull();
    }

    /** Random inserts and deletes through growth and shifted probe runs, against a HashMap. */
    @Test
    void agreesWithAHashMapThroughChurn() {
        Random rnd = new Random(11);
        NameTable<Named> t = new NameTable<>(0);
        Map<String, Integer> reference = new HashMap<>();
        List<String> seen = new ArrayList<>();
        for (int round = 0; round < 50_000; round++) {
            // Few distinct names (so deletes hit), many sharing a hash ("na"/"0c") or a fingerprint by chance.
            String name = (rnd.nextBoolean() ? "na" : "0c") + rnd.nextInt(2_000) + "." + (rnd.nextBoolean() ? "na" : "0c");
            seen.add(name);
            int hash = NameTable.hash(name);
            int slot = t.find(name, 0, name.length(), hash, false);
            assertThat(value(t, slot)).as(name).isEqualTo(reference.get(name));
            if (slot < 0) {
                reference.put(name, t.insert(new Named(name, round), hash).value);
            } else if (rnd.nextInt(3) > 0) {
                t.delete(slot);
                reference.remove(name);
            }
        }
        assertThat(t.size()).isEqualTo(reference.size());
        List<Integer> values = new ArrayList<>();
        t.forEach(e -> values.add(e.value));
        assertThat(values).containsExactlyInAnyOrderElementsOf(reference.values());
        for (String name : seen) {
            assertThat(find(t, name)).as(name).isEqualTo(reference.get(name));
        }
    }
}
