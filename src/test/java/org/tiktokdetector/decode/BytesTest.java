package org.tiktokdetector.decode;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The word-at-a-time scans against plain byte loops, at every alignment and near every edge. */
class BytesTest {
    @Test
    void agreesWithByteLoops() {
        Random rnd = new Random(3);
        byte[] alphabet = {'a', '{', '"', '\n', '\r', 0, (byte) 0x80, (byte) 0xc3, (byte) 0xff, 0x7f, 0x0b, 0x09};
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[rnd.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = rnd.nextInt(4) == 0 ? alphabet[rnd.nextInt(alphabet.length)] : (byte) ('a' + rnd.nextInt(26));
            }
            int from = b.length == 0 ? 0 : rnd.nextInt(b.length + 1);
            int to = from + rnd.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(Bytes.indexOfNewline(b, from, to)).isEqualTo(expected);
            boolean ascii = true;
            for (byte x : b) {
                ascii &= x >= 0;
            }
            assertThat(Bytes.isAscii(b)).isEqualTo(ascii);
        }
    }
}
