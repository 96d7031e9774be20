package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class FlowTableTest {
    private static final class Value extends FlowTable.Entry {}

    @Test
    void theLeastRecentlySeenEntryMakesRoom() {
        FlowTable<String, Value> t = new FlowTable<>(2, Long.MAX_VALUE);
        t.put("a", new Value(), 0);
        t.put("b", new Value(), 1);
        assertNotNull(t.get("a", 2)); // a is now the most recent
        t.put("c", new Value(), 3);
        assertNull(t.get("b", 4));
        assertNotNull(t.get("a", 4));
        assertEquals(2, t.size());
    }

    @Test
    void idleEntriesExpireByPacketTime() {
        FlowTable<String, Value> t = new FlowTable<>(10, 5_000_000L);
        t.put("old", new Value(), 0);
        t.put("new", new Value(), 4_000_000L);
        assertNull(t.get("old", 6_000_000L));
        assertNotNull(t.get("new", 6_000_000L));
        assertEquals(1, t.size());
    }
}
