package org.tiktokdetector.aggregate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    @Test
    void readsTheCsvAsASpreadsheetSavesIt() throws IOException {
        // Excel's "CSV UTF-8": a byte order mark, CRLF, quotes around fields with a comma, a quote or a line break.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.write(("match,device_id,owner,department\r\n"
                + "10.20.1.15,LAPTOP-0042,\"Doe, Jane\",Finance\r\n"
                + "\"3C-22-FB-7A-10-05\",TABLET-0007,\"Jane \"\"JJ\"\" Peeters\",\"Cabinet\nBrussels\"\r\n"
                + ",,,\r\n"
                + "10.20.8.0/24,PRINTERS-FLOOR8,,Facilities\r\n").getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("devices.csv");
        Files.write(f, bytes.toByteArray());
        DeviceInventory inv = DeviceInventory.load(f);
        assertThat(inv.lookup("10.20.1.15", null)).isEqualTo(new DeviceInventory.Device("LAPTOP-0042", "Doe, Jane", "Finance"));
        assertThat(inv.lookup(null, "3c:22:fb:7a:10:05"))
                .isEqualTo(new DeviceInventory.Device("TABLET-0007", "Jane \"JJ\" Peeters", "Cabinet\nBrussels"));
        assertThat(inv.lookup("10.20.8.9", null)).isEqualTo(new DeviceInventory.Device("PRINTERS-FLOOR8", null, "Facilities"));
    }

    @Test
    void lineNumbersCountTheLinesInsideQuotes() {
        assertThatThrownBy(() -> load("10.0.0.1,A,\"two\nlines\",X\nnot-an-address,B,,\n"))
                .hasMessageEndingWith("devices.csv:3: \"not-an-address\" is not an IP address, CIDR or MAC");
        assertThatThrownBy(() -> load("10.0.0.1,A,\"Doe\" Jane,X\n"))
                .hasMessageEndingWith("devices.csv:1: text after the closing quote of a field; inside quotes write a quote as \"\"");
        assertThatThrownBy(() -> load("10.0.0.1,A,,X\n10.0.0.2,B,\"open\n"))
                .hasMessageEndingWith("devices.csv:2: a quoted field has no closing quote");
    }

    @Test
    void twoLinesForOneDeviceKeyAreAnErrorNamingBoth() {
        assertThatThrownBy(() -> load("match,device_id,owner,department\n10.20.1.15,A,,\n10.20.1.16,B,,\n10.20.1.15,C,,\n"))
                .hasMessageEndingWith("devices.csv:4: IP 10.20.1.15 is already on line 2; keep one of the two lines");
        assertThatThrownBy(() -> load("3C-22-FB-7A-10-05,A,,\n# the same tablet, written as the switch shows it\n3c22.fb7a.1005,B,,\n"))
                .hasMessageEndingWith("devices.csv:3: MAC 3c:22:fb:7a:10:05 is already on line 1; keep one of the two lines");
        assertThatThrownBy(() -> load("10.20.8.0/24,A,,\n2001:db8::/32,B,,\n10.20.8.0/24,C,,\n"))
                .hasMessageEndingWith("devices.csv:3: CIDR 10.20.8.0/24 is already on line 1; keep one of the two lines");
        assertThatThrownBy(() -> load("2001:db8::/32,A,,\n2001:DB8:0::/32,B,,\n"))
                .hasMessageEndingWith("devices.csv:2: CIDR 2001:db8:0:0:0:0:0:0/32 is already on line 1; keep one of the two lines");
    }

    @Test
    void aFileThatIsNotUtf8OrNotAFileIsOneMessage() throws IOException {
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "10.0.0.1,A,,\n10.0.0.2,B,Ren\u00e9,\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> DeviceInventory.load(latin1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(latin1 + ":2: not valid UTF-8 (byte 0xE9); save the file as UTF-8");
        assertThatThrownBy(() -> DeviceInventory.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir + " is a folder; give a file");
    }
}
