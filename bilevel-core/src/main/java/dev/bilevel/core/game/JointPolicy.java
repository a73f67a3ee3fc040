package dev.bilevel.core.game;

/**
 * The joint policy {@code π(b,a|s) = π_θ(b|s)·π_F(a|s,b)} over joint actions {@code b·A + a}, the
 * policy under which a Markov game is an ordinary controlled chain for exact evaluation.
 */
public final class JointPolicy {

    private JointPolicy() {
    }

    /** Joint probabilities at {@code [s·B·A + b·A + a]}. */
    public static double[] of(double[] leaderPolicy, GameFollowerResponse follower) {
        int nb = follower.leaderActions();
        int na = follower.followerActions();
        double[] joint = new double[follower.policy().length];
        for (int s = 0; s < follower.states(); s++) {
            for (int b = 0; b < nb; b++) {
                double pb = leaderPolicy[s * nb + b];
                int base = (s * nb + b) * na;
                for (int a = 0; a < na; a++) {
                    joint[base + a] = pb * follower.policy()[base + a];
                }
            }
        }
        return joint;
    }
}
