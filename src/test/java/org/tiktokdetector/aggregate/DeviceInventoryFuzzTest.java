package org.tiktokdetector.aggregate;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Hostile device inventories: a CSV loads or is refused with a reason (IllegalArgumentException), nothing else. */
class DeviceInventoryFuzzTest {
    @FuzzTest(maxDuration = "4h")
    void csv(byte[] file) throws IOException {
        Path csv = Files.createTempFile("devices-fuzz", ".csv");
        try {
            Files.write(csv, file);
            DeviceInventory inventory = DeviceInventory.load(csv);
            inventory.lookup("10.20.1.15", "3c:22:fb:7a:10:05");
            inventory.lookup("2001:db8::1", null);
        } catch (IllegalArgumentException refused) {
            assertNotNull(refused.getMessage());
        } finally {
            Files.delete(csv);
        }
    }
}
