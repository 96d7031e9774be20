package org.tiktokdetector.source;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a run has bindings to wait for is told by the files' first records, whatever the files are named. */
class InputFilesBindingsTest {
    private static InputFiles.Found find(String... paths) throws Exception {
        return InputFiles.find(List.of(paths), Duration.ofDays(1), Duration.ofSeconds(30));
    }

    @Test
    void dhcpLogsAndNacAccountingHoldBindingsAndLogsOfNamesDoNot() throws Exception {
        assertThat(find("sample-data/zeek/dhcp.log").bindings()).isTrue();
        assertThat(find("sample-data/own/nac-accounting.jsonl").bindings()).isTrue();
        assertThat(find("sample-data/suricata/eve-wifi.json").bindings()).as("EVE dhcp events among its first records").isTrue();
        assertThat(find("sample-data/zeek/dns.log", "sample-data/suricata/eve.json", "sample-data/captures").bindings()).isFalse();
        InputFiles.Found all = find("sample-data");
        assertThat(all.bindings()).isTrue();
        assertThat(all.inputs()).filteredOn(InputFiles.Input::bindings).extracting(InputFiles.Input::path)
                .containsExactlyInAnyOrder("sample-data/zeek/dhcp.log", "sample-data/own/nac-accounting.jsonl",
                        "sample-data/suricata/eve-wifi.json");
    }
}
