package org.tiktokdetector.match;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-pass ASCII check in DomainName.normalise against the rules written as a regular expression. */
class DomainNameTest {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    @Test
    void asciiNamesAgreeWithTheRules() {
        Random rnd = new Random(11);
        String alphabet = "abzAZ09-_..  /";
        for (int i = 0; i < 50_000; i++) {
            int length = rnd.nextInt(10) == 0 ? 240 + rnd.nextInt(30) : rnd.nextInt(20);
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < length; k++) {
                b.append(rnd.nextInt(4) == 0 ? alphabet.charAt(rnd.nextInt(alphabet.length())) : 'a');
                if (rnd.nextInt(70) == 0) {
                    b.append("a".repeat(60));
                }
            }
            String raw = b.toString();
            assertThat(DomainName.normalise(raw)).as(raw).isEqualTo(reference(raw));
        }
    }

    @Test
    void labelsUpTo63CharactersPassOnlyIfTheNameIsLonger() {
        // A name of at most 63 characters cannot hold a longer label; beyond that every label is measured.
        assertThat(DomainName.normalise("a".repeat(63))).isEqualTo("a".repeat(63));
        assertThat(DomainName.normalise("a".repeat(64))).isNull();
        assertThat(DomainName.normalise("a".repeat(63) + ".b")).isEqualTo("a".repeat(63) + ".b");
        assertThat(DomainName.normalise("b." + "a".repeat(64) + ".")).isNull();
        assertThat(DomainName.normalise("b." + "a".repeat(63) + ".")).isEqualTo("b." + "a".repeat(63));
    }

    private static String reference(String raw) {
        String name = raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw;
        name = name.toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.length() > 253) {
            return null;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return null;
            }
        }
        return name;
    }
}
