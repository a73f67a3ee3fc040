package dev.bilevel.learn.critic;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.sampling.TabularBatch;

/**
 * Tabular SARSA for the leader's {@code Q_L}, as in the BC-HG FourRooms reference: a persistent table
 * initialised i.i.d. {@code N(0,1)}, and per outer iteration one pass over the batch in random order,
 * {@code Q(s,a) += α·(f(s,a) + γ·Q(s',a') − Q(s,a))} where {@code (s',a')} is the same stream's next
 * row. Episode ends (terminal or time limit) and the batch end are treated as terminal: no bootstrap.
 */
public final class SarsaCritic implements TabularLeaderCritic {

    private final int actions;
    private final double stepSize;
    private final double[] q;
    private int[] order = new int[0];

    /**
     * @param states number of states
     * @param actions number of actions
     * @param stepSize SARSA step {@code α ∈ (0, 1]}
     * @param init randomness for the {@code N(0,1)} initial table
     */
    public SarsaCritic(int states, int actions, double stepSize, SplitMixRandom init) {
        this(states, actions, stepSize);
        for (int i = 0; i < q.length; i++) {
            q[i] = init.nextGaussian();
        }
    }

    private SarsaCritic(int states, int actions, double stepSize) {
        if (!(stepSize > 0.0 && stepSize <= 1.0)) {
            throw new IllegalArgumentException("SARSA step " + stepSize + " is outside (0, 1]");
        }
        this.actions = actions;
        this.stepSize = stepSize;
        this.q = new double[states * actions];
    }

    /** A critic starting from {@code Q = 0}, for one-shot estimates from a single batch. */
    public static SarsaCritic zeroInitialized(int states, int actions, double stepSize) {
        return new SarsaCritic(states, actions, stepSize);
    }

    /** Its table. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("SarsaCritic").writeDoubles(q);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("SarsaCritic").readDoubles(q);
    }

    @Override
    public double[] update(TabularBatch batch, double[] leaderReward, double[] policy, double discount,
            SplitMixRandom rng) {
        int n = batch.usedRows();
        if (order.length != n) {
            order = new int[n];
        }
        int used = 0;
        for (int e = 0; e < batch.streams(); e++) {
            for (int i = e * batch.length(), end = i + batch.streamLength(e); i < end; i++) {
                order[used++] = i;
            }
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int[] states = batch.states();
        int[] acts = batch.actions();
        for (int i : order) {
            int row = states[i] * actions + acts[i];
            double target = leaderReward[row];
            if (batch.hasSuccessor(i)) {
                target += discount * q[states[i + 1] * actions + acts[i + 1]];
            }
            q[row] += stepSize * (target - q[row]);
        }
        return q;
    }
}
