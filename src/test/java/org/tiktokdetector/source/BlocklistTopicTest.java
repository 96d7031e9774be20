package org.tiktokdetector.source;

import org.junit.jupiter.api.Test;
import org.tiktokdetector.match.BlocklistUpdate;
import org.tiktokdetector.match.MatchType;
import org.tiktokdetector.records.Category;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlocklistTopicTest {
    private static RawRecord record(String key, String value) {
        return RawRecord.ofKafka("blocklist", 0, 7, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keyIsTheRuleAndValueItsCategory() {
        BlocklistUpdate u = BlocklistTopic.toUpdate(record("tiktokv.com", "tiktok-app"));
        assertThat(u.op).isEqualTo(BlocklistUpdate.Op.ADD);
        assertThat(u.rule.text()).isEqualTo("tiktokv.com");
        assertThat(u.rule.category).isEqualTo(Category.TIKTOK_APP);
        assertThat(u.rule.origin).isEqualTo("blocklist/0@7");
    }

    @Test
    void listSyntaxSelectsTheMatchType() {
        assertThat(BlocklistTopic.toUpdate(record("=v16m.tiktokcdn.com", "tiktok-cdn")).rule.type).isEqualTo(MatchType.EXACT);
        assertThat(BlocklistTopic.toUpdate(record("*.byteglb.com", "")).rule.type).isEqualTo(MatchType.WILDCARD);
        BlocklistUpdate allow = BlocklistTopic.toUpdate(record("@@status.tiktok.com", " "));
        assertThat(allow.rule.allow).isTrue();
        assertThat(allow.rule.category).isEqualTo(Category.UNCLASSIFIED);
    }

    @Test
    void tombstoneRemovesTheRule() {
        BlocklistUpdate u = BlocklistTopic.toUpdate(record("TikTokV.com.", null));
        assertThat(u.op).isEqualTo(BlocklistUpdate.Op.REMOVE);
        assertThat(u.rule.key()).isEqualTo("suffix:tiktokv.com");
    }

    @Test
    void invalidRecordsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> BlocklistTopic.toUpdate(record(null, "tiktok-app"))).hasMessageContaining("without a key");
        assertThatThrownBy(() -> BlocklistTopic.toUpdate(record("tiktokv.com", "tiktok"))).hasMessageContaining("unknown category \"tiktok\"");
        assertThatThrownBy(() -> BlocklistTopic.toUpdate(record("com", "tiktok-app"))).hasMessageContaining("public suffix");
        assertThatThrownBy(() -> BlocklistTopic.toUpdate(record("0.0.0.0 tiktok.com", ""))).hasMessageContaining("one rule");
        assertThatThrownBy(() -> BlocklistTopic.toUpdate(record("/tiktok.*/", ""))).hasMessageContaining("not supported");
        assertThatThrownBy(() -> BlocklistTopic.toUpdate(record("", ""))).hasMessageContaining("empty rule");
    }
}
