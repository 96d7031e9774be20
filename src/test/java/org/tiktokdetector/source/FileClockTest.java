package org.tiktokdetector.source;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Which record times a file's clock believes, and what its watermark then says. */
class FileClockTest {
    private static final long HOUR = 3_600_000;
    private static final long NOW = 1_000 * HOUR;
    private static final Duration AHEAD = Duration.ofDays(1);
    private static final Duration OOO = Duration.ofSeconds(30);

    @Test
    void aTimeFarAheadOfTheWallClockOrOfTheFileIsNotBelievedAndMovesNothing() {
        long t0 = NOW - 100 * HOUR;
        FileClock clock = new FileClock(AHEAD, OOO, new long[] {t0, t0 + 1000, t0 + 2000}, () -> NOW);
        assertThat(clock.judge(t0)).isNull();
        assertThat(clock.watermark()).isEqualTo(t0 - OOO.toMillis() - 1);
        assertThat(clock.judge(NOW + 25 * HOUR)).contains("1 day ahead of the wall clock");
        assertThat(clock.judge(t0 + 30 * HOUR)).contains("1 day ahead of this file's recent records");
        assertThat(clock.judge(t0 + 23 * HOUR)).isNull(); // within the bound: believed
        assertThat(clock.watermark()).isEqualTo(t0 + 23 * HOUR - OOO.toMillis() - 1);
    }

    @Test
    void withoutFirstTimestampsOnlyTheWallClockJudges() {
        FileClock clock = new FileClock(AHEAD, OOO, new long[0], () -> NOW);
        assertThat(clock.watermark()).isEqualTo(Long.MIN_VALUE);
        assertThat(clock.judge(NOW - 900 * HOUR)).isNull();
        assertThat(clock.judge(NOW + 2 * HOUR)).isNull();
        assertThat(clock.judge(NOW + 48 * HOUR)).contains("2 days ahead of the wall clock");
    }

    @Test
    void aFilesStartIsItsEarliestBelievableFirstTimeLessTheOutOfOrderness() {
        long t0 = NOW - 100 * HOUR;
        assertThat(FileClock.start(new long[] {t0 + 5000, t0, t0 + 9000}, AHEAD, OOO)).isEqualTo(t0 - OOO.toMillis());
        // an outlier on the first line does not push the file back behind the others
        assertThat(FileClock.start(new long[] {t0 + 400 * HOUR, t0 + 1000, t0 + 2000}, AHEAD, OOO)).isEqualTo(t0 + 1000 - OOO.toMillis());
        assertThat(FileClock.start(new long[0], AHEAD, OOO)).as("nothing known: read first").isEqualTo(Long.MIN_VALUE);
    }
}
