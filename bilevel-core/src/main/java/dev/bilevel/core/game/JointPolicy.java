package dev.bilevel.core.game;

/**
 * The joint policy {@code π(b,a|s) = π_θ(b|s)·π_F(a|s,b)} over joint actions {@code b·A + a}, the
 * policy under which a Markov game is an ordinary controlled chain for exact evaluation.
 */
public final class JointPolicy {

    private JointPolicy() {
    }

    /**
     * Joint probabilities at {@code [s·B·A + b·A + a]}.
     *
     * @param leaderPolicy {@code π_θ(b|s)} at {@code [s·B + b]}
     * @param followerPolicy {@code π_F(a|s,b)} at {@code [s·B·A + b·A + a]}
     * @param leaderActions {@code B}
     * @param followerActions {@code A}
     */
    public static double[] of(double[] leaderPolicy, double[] followerPolicy, int leaderActions,
            int followerActions) {
        int nb = leaderActions;
        int na = followerActions;
        int states = followerPolicy.length / (nb * na);
        double[] joint = new double[followerPolicy.length];
        for (int s = 0; s < states; s++) {
            for (int b = 0; b < nb; b++) {
                double pb = leaderPolicy[s * nb + b];
                int base = (s * nb + b) * na;
                for (int a = 0; a < na; a++) {
                    joint[base + a] = pb * followerPolicy[base + a];
                }
            }
        }
        return joint;
    }
}
