package dev.bilevel.core.cmdp;

import java.util.Objects;

/** {@link RewardJacobian#view}: forwards the Jacobian's methods and exposes nothing else of its source. */
final class RewardJacobianView implements RewardJacobian {

    private final RewardJacobian source;

    RewardJacobianView(RewardJacobian source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public int states() {
        return source.states();
    }

    @Override
    public int actions() {
        return source.actions();
    }

    @Override
    public int dimension() {
        return source.dimension();
    }

    @Override
    public void accumulateGradient(double[] x, double[] weights, double[] gradient) {
        source.accumulateGradient(x, weights, gradient);
    }
}
