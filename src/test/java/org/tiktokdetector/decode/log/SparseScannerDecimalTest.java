package org.tiktokdetector.decode.log;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link SparseScanner#decimal} must give exactly what {@code Double.parseDouble} (Jackson's getDoubleValue) gives. */
class SparseScannerDecimalTest {
    private static void same(String text) {
        byte[] b = ("x" + text + "y").getBytes(StandardCharsets.ISO_8859_1);
        double expected = Double.parseDouble(text);
        double got = SparseScanner.decimal(b, 1, b.length - 1);
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got), text + ": " + got + " != " + expected);
    }

    @Test
    void zeekTimesAndTheEdgesOfTheFastPath() {
        for (String t : new String[] {"1795510800.000417", "1795510800.0", "0.0021", "300.0", "-0.0", "-0", "0", "0.1",
                "9007199254740992.0", "9007199254740993.0", "9007199254740993", "900719925474099.3", "1.0000000000000000000001",
                "0.0000000000000000000001", "0.00000000000000000000001", "123456789012345678.9", "1e5", "1.5E-3", "-2.5e+10",
                "4.35", "0.3", "2.675", "1.7976931348623157e308", "4.9e-324", "99999999999999999999"}) {
            same(t);
        }
    }

    @Test
    void randomDecimalsGiveTheSameDoubleAsTheJdk() {
        Random random = new Random(15);
        for (int n = 0; n < 1_000_000; n++) {
            StringBuilder s = new StringBuilder();
            if (random.nextInt(4) == 0) {
                s.append('-');
            }
            int intDigits = 1 + random.nextInt(12);
            s.append(random.nextInt(9) + 1);
            for (int k = 1; k < intDigits; k++) {
                s.append(random.nextInt(10));
            }
            if (random.nextInt(8) == 0) {
                s.setLength(s.length() - intDigits);
                s.append('0');
            }
            s.append('.');
            int fraction = 1 + random.nextInt(random.nextBoolean() ? 8 : 24);
            for (int k = 0; k < fraction; k++) {
                s.append(random.nextInt(10));
            }
            same(s.toString());
        }
    }
}
