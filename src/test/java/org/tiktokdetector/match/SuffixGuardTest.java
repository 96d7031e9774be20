package org.tiktokdetector.match;

import com.google.common.net.InternetDomainName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** SuffixGuard's shortcut past InternetDomainName gives Guava's verdict, on every kind of Public Suffix List entry. */
class SuffixGuardTest {
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "co.uk,                  true",   // ICANN entry
            "tiktok.co.uk,           false",
            "blogspot.com,           true",   // private entry
            "s3.amazonaws.com,       true",
            "amazonaws.com,          false",
            "x.ck,                   true",   // under the wildcard *.ck
            "a.x.ck,                 false",
            "www.ck,                 false",  // the exception !www.ck
            "x.kawasaki.jp,          true",
            "city.kawasaki.jp,       false",
            "tiktok.com,             false",
            "tiktokv.com,            false",
            "_x.ck,                  false",  // Guava refuses the name: no public suffix
            "a_b.co.uk,              false",
            "xn--p1ai,               true",   // bare label
            "xn--80aswg.xn--p1ai,    false",
    })
    void agreesWithInternetDomainName(String name, boolean expected) {
        assertThat(SuffixGuard.isPublicSuffix(name)).isEqualTo(expected).isEqualTo(guava(name));
    }

    private static boolean guava(String name) {
        if (name.indexOf('.') < 0) {
            return true;
        }
        try {
            return InternetDomainName.from(name).isPublicSuffix();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
