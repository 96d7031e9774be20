package org.tiktokdetector.decode.log;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tiktokdetector.decode.log.Keep.ALL;
import static org.tiktokdetector.decode.log.Keep.PRESENCE;
import static org.tiktokdetector.decode.log.Keep.only;

/** The field table the sparse readers read by, and how the dialects' declarations add up to a line's. */
class KeepTest {
    @Test
    void aUnionKeepsEachFieldAsMuchAsTheDeclarationThatKeepsTheMost() {
        Keep a = only("ts", PRESENCE, "id", ALL, "dns", only("rrname", ALL), "tls", PRESENCE);
        Keep b = only("ts", ALL, "id", PRESENCE, "dns", only("type", ALL, "rrname", PRESENCE), "host", ALL);
        for (Keep u : List.of(Keep.union(a, b), Keep.union(b, a))) {
            assertThat(u.field("ts")).isSameAs(ALL);
            assertThat(u.field("id")).isSameAs(ALL);
            assertThat(u.field("host")).isSameAs(ALL);
            assertThat(u.field("tls")).isSameAs(PRESENCE);
            assertThat(u.field("dns").field("rrname")).isSameAs(ALL);
            assertThat(u.field("dns").field("type")).isSameAs(ALL);
            assertThat(u.field("dns").field("other")).isNull();
            assertThat(u.field("other")).isNull();
        }
        assertThat(Keep.union(only("x", PRESENCE), only("x", only("y", ALL))).field("x").field("y")).isSameAs(ALL);
        assertThat(Keep.union(only("x", ALL), only("x", only("y", ALL))).field("x")).isSameAs(ALL);
    }

    @Test
    void aLineKeepsWhatEachDialectDeclares() {
        assertThat(LogLineDecoder.FIELDS.field("query")).isSameAs(ALL); // Zeek dns.log
        assertThat(LogLineDecoder.FIELDS.field("trans_id")).isSameAs(PRESENCE); // tells Zeek dns.log, value unread
        assertThat(LogLineDecoder.FIELDS.field("dns").field("queries").field("rrname")).isSameAs(ALL); // Suricata
        assertThat(LogLineDecoder.FIELDS.field("tunnel")).isSameAs(ALL); // flow records
        assertThat(LogLineDecoder.FIELDS.field("level")).isSameAs(ALL); // a Zeek signature that checks a value
        assertThat(LogLineDecoder.FIELDS.field("missed_bytes")).isSameAs(PRESENCE); // one that does not
        assertThat(LogLineDecoder.FIELDS.field("tls").field("sni")).isSameAs(ALL); // Suricata's tls object, smtp's presence
        assertThat(LogLineDecoder.FIELDS.field("rtt")).isNull();
    }
}
