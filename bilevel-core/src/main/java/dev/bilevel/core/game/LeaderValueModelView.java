package dev.bilevel.core.game;

/** {@link LeaderValueModel#view}: forwards the model's methods and exposes nothing else of its source. */
final class LeaderValueModelView extends LeaderGameModelView implements LeaderValueModel {

    private final LeaderValueModel source;

    LeaderValueModelView(LeaderValueModel source) {
        super(source);
        this.source = source;
    }

    @Override
    public LeaderValue leaderValue(double[] leaderGain, double[] leaderNoise, double[] followerMeanGain,
            double[] followerCholesky, double[] startCovariance, double discount, int horizon) {
        return source.leaderValue(leaderGain, leaderNoise, followerMeanGain, followerCholesky, startCovariance,
                discount, horizon);
    }

    @Override
    public void transitionMean(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            double[] followerAction, int followerOffset, double[] out, int outOffset) {
        source.transitionMean(x, xOffset, leaderAction, leaderOffset, followerAction, followerOffset, out, outOffset);
    }
}
