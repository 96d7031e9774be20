package org.tiktokdetector.match;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The open-addressing table on its own: suffix lookups in place, colliding hashes, growth, deletes that shift runs. */
class NameTableTest {
    private static final class Named extends NameTable.Entry {
        Named(String name) {
            super(name);
        }
    }

    private static Named add(NameTable<Named> t, String name) {
        assertThat(find(t, name)).as("%s is new", name).isNull();
        return t.insert(new Named(name), NameTable.hash(name, 0));
    }

    private static Named find(NameTable<Named> t, String name) {
        int slot = t.find(name, 0, NameTable.hash(name, 0));
        return slot < 0 ? null : t.at(slot);
    }

    @Test
    void theHashOfASuffixIsAStepOnTheWayToTheWholeName() {
        String name = "www.tiktok.com";
        int h = 0;
        for (int i = name.length() - 1; i >= 0; i--) {
            h = 31 * h + name.charAt(i);
            assertThat(NameTable.hash(name, i)).isEqualTo(h).isEqualTo(NameTable.hash(name.substring(i), 0));
        }
    }

    @Test
    void findsASuffixOfALongerTextInPlace() {
        NameTable<Named> t = new NameTable<>(0);
        Named tiktok = add(t, "tiktok.com");
        String text = "www.tiktok.com";
        assertThat(t.at(t.find(text, 4, NameTable.hash(text, 4)))).isSameAs(tiktok);
        assertThat(t.find(text, 3, NameTable.hash(text, 3))).isNegative(); // ".tiktok.com"
        assertThat(t.find(text, 0, NameTable.hash(text, 0))).isNegative();
        assertThat(t.find(text, 11, NameTable.hash(text, 11))).isNegative(); // "com"
    }

    @Test
    void namesWithTheSameHashStayApart() {
        // 'a'*31+'n' == 'c'*31+'0': "na.com" and "0c.com" share their hash (hashed from the right).
        assertThat(NameTable.hash("na.com", 0)).isEqualTo(NameTable.hash("0c.com", 0));
        NameTable<Named> t = new NameTable<>(0);
        Named na = add(t, "na.com");
        assertThat(find(t, "0c.com")).isNull();
        Named c0 = add(t, "0c.com");
        assertThat(find(t, "na.com")).isSameAs(na);
        assertThat(find(t, "0c.com")).isSameAs(c0);
        t.delete(t.find("na.com", 0, NameTable.hash("na.com", 0)));
        assertThat(find(t, "na.com")).isNull();
        assertThat(find(t, "0c.com")).isSameAs(c0);
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void aNameIsNotTakenForALongerOneWithItsHash() {
        // "qce4agy2" hashes to 0, so appending it leaves a hash unchanged: only the lengths tell these two apart.
        assertThat(NameTable.hash("qce4agy2", 0)).isZero();
        assertThat(NameTable.hash("tiktok.comqce4agy2", 0)).isEqualTo(NameTable.hash("tiktok.com", 0));
        NameTable<Named> t = new NameTable<>(0);
        Named longer = add(t, "tiktok.comqce4agy2");
        assertThat(find(t, "tiktok.com")).isNull();
        Named shorter = add(t, "tiktok.com");
        assertThat(find(t, "tiktok.comqce4agy2")).isSameAs(longer);
        assertThat(find(t, "tiktok.com")).isSameAs(shorter);
    }

    @Test
    void theEmptyNameWhoseHashIsZeroIsStored() {
        // Fingerprint 0 marks a free slot: a hash of 0 must still give a stored name a non-zero one.
        assertThat(NameTable.fingerprint(NameTable.hash("", 0))).isNotZero();
        NameTable<Named> t = new NameTable<>(0);
        Named empty = add(t, "");
        assertThat(find(t, "")).isSameAs(empty);
    }

    /** Random inserts and deletes through growth and shifted probe runs, against a HashMap. */
    @Test
    void agreesWithAHashMapThroughChurn() {
        Random rnd = new Random(11);
        NameTable<Named> t = new NameTable<>(0);
        Map<String, Named> reference = new HashMap<>();
        List<String> seen = new ArrayList<>();
        for (int round = 0; round < 50_000; round++) {
            // Few distinct names (so deletes hit), many sharing a hash ("na"/"0c") or a fingerprint by chance.
            String name = (rnd.nextBoolean() ? "na" : "0c") + rnd.nextInt(2_000) + "." + (rnd.nextBoolean() ? "na" : "0c");
            seen.add(name);
            int hash = NameTable.hash(name, 0);
            int slot = t.find(name, 0, hash);
            assertThat(slot < 0 ? null : t.at(slot)).as(name).isSameAs(reference.get(name));
            if (slot < 0) {
                reference.put(name, t.insert(new Named(name), hash));
            } else if (rnd.nextInt(3) > 0) {
                t.delete(slot);
                reference.remove(name);
            }
        }
        assertThat(t.size()).isEqualTo(reference.size());
        Map<String, Named> all = new HashMap<>();
        t.forEach(e -> all.put(e.name, e));
        assertThat(all).isEqualTo(reference);
        for (String name : seen) {
            assertThat(find(t, name)).as(name).isSameAs(reference.get(name));
        }
    }
}
