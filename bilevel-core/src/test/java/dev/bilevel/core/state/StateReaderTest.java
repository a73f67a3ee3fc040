package dev.bilevel.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.random.SplitMixRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StateReaderTest {

    @Test
    void everyValueComesBackBitForBit() {
        SplitMixRandom rng = new SplitMixRandom(5).split();
        rng.nextGaussian();
        double nan = Double.longBitsToDouble(0x7ff8_0000_0000_1234L);
        byte[] bytes = new StateWriter().begin("part").writeInt(-3).writeLong(Long.MIN_VALUE).writeDouble(nan)
                .writeDouble(-0.0).writeBoolean(true).writeDoubles(new double[] {1.5, Double.MIN_VALUE})
                .writeDoubles(null).writeInts(new int[] {7, -7}).writeBooleans(new boolean[] {true, false})
                .writeRandom(rng).write(null).toByteArray();

        StateReader in = new StateReader(bytes);
        in.begin("part");
        assertThat(in.readInt()).isEqualTo(-3);
        assertThat(in.readLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(Double.doubleToRawLongBits(in.readDouble())).isEqualTo(0x7ff8_0000_0000_1234L);
        assertThat(Double.doubleToRawLongBits(in.readDouble())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(in.readBoolean()).isTrue();
        double[] into = new double[2];
        in.readDoubles(into);
        assertThat(into).containsExactly(1.5, Double.MIN_VALUE);
        assertThat(in.readDoubles()).isNull();
        assertThat(in.readInts()).containsExactly(7, -7);
        assertThat(in.readBooleans()).containsExactly(true, false);
        SplitMixRandom restored = new SplitMixRandom(0);
        in.readRandom(restored);
        assertThat(restored.nextLong()).isEqualTo(rng.nextLong());
        assertThat(in.readAbsent()).isTrue();
        assertThat(in.atEnd()).isTrue();
    }

    @Test
    void stateOfAnotherShapeIsRefusedNamingThePart() {
        byte[] bytes = new StateWriter().begin("critic").writeDoubles(new double[3]).writeInt(1).toByteArray();

        assertThatThrownBy(() -> new StateReader(bytes).begin("leader"))
                .isInstanceOf(StateMismatchException.class).hasMessageContaining("leader").hasMessageContaining("critic");
        StateReader shorter = new StateReader(bytes).begin("critic");
        assertThatThrownBy(() -> shorter.readDoubles(new double[4]))
                .isInstanceOf(StateMismatchException.class).hasMessageContaining("critic: expected 4 doubles, found 3");
        StateReader wrongType = new StateReader(bytes).begin("critic");
        wrongType.readDoubles(new double[3]);
        assertThatThrownBy(wrongType::readLong).isInstanceOf(StateMismatchException.class)
                .hasMessageContaining("expected a long");
        StateReader truncated = new StateReader(Arrays.copyOf(bytes, bytes.length - 2)).begin("critic");
        truncated.readDoubles(new double[3]);
        assertThatThrownBy(truncated::readInt).isInstanceOf(StateMismatchException.class)
                .hasMessageContaining("ends inside critic");
    }

    @Test
    void partsAreWrittenAndReadInOrder() {
        double[] a = {1, 2};
        double[] b = {3};
        Stateful composite = Stateful.of(part("a", a), part("b", b));
        StateWriter out = new StateWriter();
        composite.saveState(out);
        a[0] = 9;
        b[0] = 9;
        composite.restoreState(new StateReader(out.toByteArray()));
        assertThat(a).containsExactly(1, 2);
        assertThat(b).containsExactly(3);
    }

    private static Stateful part(String name, double[] values) {
        return new Stateful() {
            @Override
            public void saveState(StateWriter out) {
                out.begin(name).writeDoubles(values);
            }

            @Override
            public void restoreState(StateReader in) {
                in.begin(name).readDoubles(values);
            }
        };
    }
}
