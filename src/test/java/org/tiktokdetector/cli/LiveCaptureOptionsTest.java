package org.tiktokdetector.cli;

import org.junit.jupiter.api.Test;
import org.tiktokdetector.DetectRun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A live-capture mistake is one line and exit 2, before any job starts. */
class LiveCaptureOptionsTest {

    @Test
    void unknownInterfaceNamesIpLink() throws Exception {
        DetectRun run = DetectRun.of("detect", "--interface", "nosuch9");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("no network interface named nosuch9").contains("ip link");
    }

    @Test
    void captureOptionsNeedAnInterfaceAndExcludeInput() throws Exception {
        assertThat(DetectRun.of("detect", "--input", "sample-data", "--bpf", "udp port 53").err())
                .contains("--bpf is a live-capture option: give --interface IF too");
        assertThat(DetectRun.of("detect", "--input", "sample-data", "--interface", "lo").err())
                .contains("either --interface (live capture) or --input (files), not both");
        assertThat(DetectRun.of("detect", "--kafka-bootstrap", "localhost:1", "--interface", "lo").exit()).isEqualTo(2);
    }

    @Test
    void filterLibpcapCannotCompileIsOneLine() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "opening an interface needs root (or CAP_NET_RAW)");
        DetectRun run = DetectRun.of("detect", "--interface", "lo", "--bpf", "udp prt 53");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("BPF filter \"udp prt 53\" does not compile");
    }
}
