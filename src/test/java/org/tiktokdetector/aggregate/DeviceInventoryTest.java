package org.tiktokdetector.aggregate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceInventoryTest {
    @TempDir
    Path dir;

    private DeviceInventory load(String csv) throws IOException {
        Path f = dir.resolve("devices.csv");
        Files.writeString(f, csv);
        return DeviceInventory.load(f);
    }

    @Test
    void macWinsOverAddressAndTheLongestPrefixWins() throws IOException {
        DeviceInventory inv = load("""
                match,device_id,owner,department
                10.20.0.0/16,HQ-UNKNOWN,,Headquarters
                10.20.1.0/24,FINANCE-FLOOR,,Finance
                10.20.1.15,LAPTOP-0042,j.peeters,Finance
                3C:22:FB:7A:10:05,TABLET-0007,s.maes,Cabinet
                2001:db8::/32,V6-NET,,Lab
                """);
        assertThat(inv.lookup("10.20.1.15", null).id()).isEqualTo("LAPTOP-0042");
        assertThat(inv.lookup("10.20.1.16", null).id()).isEqualTo("FINANCE-FLOOR");
        assertThat(inv.lookup("10.20.9.9", null).id()).isEqualTo("HQ-UNKNOWN");
        assertThat(inv.lookup("10.21.0.1", null)).isNull();
        assertThat(inv.lookup("10.20.1.15", "3c-22-fb-7a-10-05").id()).isEqualTo("TABLET-0007");
        assertThat(inv.lookup("10.99.0.1", "3c:22:fb:7a:10:05").owner()).isEqualTo("s.maes");
        assertThat(inv.lookup("2001:db8::1", null).department()).isEqualTo("Lab");
        assertThat(inv.lookup("not-an-ip", null)).isNull();
    }

    @Test
    void aBadLineNamesTheFileTheLineAndTheProblem() {
        assertThatThrownBy(() -> load("match,device_id,owner,department\nlaptop.example,X,,\n"))
                .hasMessageEndingWith("devices.csv:2: \"laptop.example\" is not an IP address, CIDR or MAC");
        assertThatThrownBy(() -> load("10.0.0.0/40,X,,\n"))
                .hasMessageEndingWith("devices.csv:1: \"10.0.0.0/40\" has a bad prefix length");
        assertThatThrownBy(() -> load("10.0.0.1\n"))
                .hasMessageContaining("devices.csv:1: expected \"match,device_id,owner,department\"");
    }
}
