package dev.bilevel.core.game;

import java.util.Objects;

/** {@link LeaderGameModel#view}: forwards the model's methods and exposes nothing else of its source. */
class LeaderGameModelView implements LeaderGameModel {

    private final LeaderGameModel source;

    LeaderGameModelView(LeaderGameModel source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public int stateDimension() {
        return source.stateDimension();
    }

    @Override
    public int leaderActionDimension() {
        return source.leaderActionDimension();
    }

    @Override
    public int followerActionDimension() {
        return source.followerActionDimension();
    }

    @Override
    public void transitionJacobians(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            double[] followerAction, int followerOffset, double[] dx, double[] dLeader, double[] dFollower) {
        source.transitionJacobians(x, xOffset, leaderAction, leaderOffset, followerAction, followerOffset, dx,
                dLeader, dFollower);
    }

    @Override
    public void leaderRewardGradient(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            double[] followerAction, int followerOffset, double[] dx, double[] dLeader, double[] dFollower) {
        source.leaderRewardGradient(x, xOffset, leaderAction, leaderOffset, followerAction, followerOffset, dx,
                dLeader, dFollower);
    }
}
