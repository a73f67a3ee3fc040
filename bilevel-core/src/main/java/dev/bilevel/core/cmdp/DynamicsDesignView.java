package dev.bilevel.core.cmdp;

import java.util.List;
import java.util.Objects;

/** {@link DynamicsDesign#view}: forwards the design's methods, and its models', and exposes nothing else. */
final class DynamicsDesignView implements DynamicsDesign {

    private final DynamicsDesign source;

    DynamicsDesignView(DynamicsDesign source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public int stateDimension() {
        return source.stateDimension();
    }

    @Override
    public int actionDimension() {
        return source.actionDimension();
    }

    @Override
    public int decisionDimension() {
        return source.decisionDimension();
    }

    @Override
    public int[] decisionGroups() {
        return source.decisionGroups();
    }

    @Override
    public int horizon() {
        return source.horizon();
    }

    @Override
    public double leaderDiscount() {
        return source.leaderDiscount();
    }

    @Override
    public List<String> leaderRewardComponents() {
        return source.leaderRewardComponents();
    }

    @Override
    public Model model(double[] decision) {
        return new ModelView(source.model(decision));
    }

    /** The forwarding view of one configured model. */
    private static final class ModelView implements Model {

        private final Model source;

        ModelView(Model source) {
            this.source = source;
        }

        @Override
        public double leaderReward(double[] x, double[] u, double[] components) {
            return source.leaderReward(x, u, components);
        }

        @Override
        public void leaderRewardGradient(double[] x, double[] u, double[] out) {
            source.leaderRewardGradient(x, u, out);
        }

        @Override
        public void transitionMean(double[] x, double[] u, double[] out) {
            source.transitionMean(x, u, out);
        }

        @Override
        public void transitionScore(double[] x, double[] u, double[] next, double[] out) {
            source.transitionScore(x, u, next, out);
        }

        @Override
        public void transitionMeanGradient(double[] x, double[] u, double[] v, double[] out) {
            source.transitionMeanGradient(x, u, v, out);
        }
    }
}
