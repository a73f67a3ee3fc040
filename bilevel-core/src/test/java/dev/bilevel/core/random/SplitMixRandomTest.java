package dev.bilevel.core.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMixRandomTest {

    /** Every draw the project makes, interleaved and through splits, equals the JDK's SplittableRandom's. */
    @Test
    void drawsTheJdkSplittableRandomSequence() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            SplittableRandom jdk = new SplittableRandom(seed);
            SplitMixRandom ours = new SplitMixRandom(seed);
            for (int round = 0; round < 3; round++) {
                compare(jdk, ours, 20_000);
                jdk = jdk.split();
                ours = ours.split();
            }
        }
    }

    private static void compare(SplittableRandom jdk, SplitMixRandom ours, int draws) {
        for (int i = 0; i < draws; i++) {
            switch (i % 9) {
                case 0 -> assertEquals(jdk.nextLong(), ours.nextLong());
                case 1 -> assertEquals(jdk.nextInt(), ours.nextInt());
                case 2 -> assertEquals(jdk.nextInt(1 + i % 1000), ours.nextInt(1 + i % 1000));
                case 3 -> assertEquals(Double.doubleToRawLongBits(jdk.nextDouble()),
                        Double.doubleToRawLongBits(ours.nextDouble()));
                case 4 -> assertEquals(Double.doubleToRawLongBits(jdk.nextGaussian()),
                        Double.doubleToRawLongBits(ours.nextGaussian()));
                case 5 -> assertEquals(jdk.nextBoolean(), ours.nextBoolean());
                case 6 -> assertEquals(jdk.nextInt(-5, 17), ours.nextInt(-5, 17));
                case 7 -> assertEquals(Double.doubleToRawLongBits(jdk.nextDouble(-2.0, 3.0)),
                        Double.doubleToRawLongBits(ours.nextDouble(-2.0, 3.0)));
                default -> assertEquals(jdk.nextLong(1_000_000_007L), ours.nextLong(1_000_000_007L));
            }
        }
    }

    @Test
    void aRestoredStreamContinuesTheSequence() {
        SplitMixRandom rng = new SplitMixRandom(3).split();
        for (int i = 0; i < 101; i++) {
            rng.nextGaussian();
        }
        SplitMixRandom copy = SplitMixRandom.restored(rng.seed(), rng.gamma());
        for (int i = 0; i < 1000; i++) {
            assertEquals(rng.nextLong(), copy.nextLong());
        }
        assertThrows(IllegalArgumentException.class, () -> copy.restore(1, 2));
    }
}
