package dev.bilevel.learn.leader;

import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.TabularBatch;

/**
 * What a leader that only observes knows of a tabular follower: a response fitted to the interaction stream, with
 * nothing read from the follower itself.
 *
 * <ul>
 *   <li><b>π̂_F</b> by maximum likelihood on the follower's actions: decayed counts {@code n(s,a)} with a
 *       pseudo-count {@code c} per action, {@code π̂(a|s) = (n(s,a) + c)/(n(s) + A·c)}. Each batch of {@code N}
 *       transitions first multiplies the counts by {@code decay^(N/100)}, so that a follower that changes is
 *       followed, over a memory measured in transitions whatever the batch size (about 10,000 at 0.99).</li>
 *   <li><b>V̂_F</b> by soft TD on the follower's rewards, as the environment the leader hosts emits them, from the
 *       Boltzmann identity {@code Q_F − V_F = λ·log π_F}: {@code V̂(s) ← V̂(s) + β·(r_F − λ·log π̂(a|s) +
 *       γ_F·V̂(s') − V̂(s))}, without the bootstrap where the episode terminated.</li>
 *   <li><b>λ</b> is the one the follower announces, times a factor the caller chooses (1 for a truthful
 *       announcement; 0.5 or 2 to measure what a wrong one costs). {@code γ_F} is announced.</li>
 * </ul>
 */
public final class TabularFollowerFit implements Stateful {

    private final int states;
    private final int actions;
    private final double temperature;
    private final double discount;
    private final double decay;
    private final double pseudoCount;
    private final double valueStep;
    private final double[] counts;
    private final double[] value;
    private final double[] policy;

    /**
     * @param states the number of states
     * @param actions the number of actions
     * @param temperature the λ the leader assumes
     * @param discount the follower's announced γ_F
     * @param decay the factor on the counts per 100 observed transitions, in {@code (0, 1]}
     * @param pseudoCount {@code c > 0}
     * @param valueStep the soft TD step β, in {@code (0, 1]}
     */
    public TabularFollowerFit(int states, int actions, double temperature, double discount, double decay,
            double pseudoCount, double valueStep) {
        if (!(temperature > 0.0) || !(decay > 0.0 && decay <= 1.0) || !(pseudoCount > 0.0)
                || !(valueStep > 0.0 && valueStep <= 1.0)) {
            throw new IllegalArgumentException("need λ > 0, decay in (0, 1], pseudo-count > 0 and a TD step in"
                    + " (0, 1], got " + temperature + ", " + decay + ", " + pseudoCount + " and " + valueStep);
        }
        this.states = states;
        this.actions = actions;
        this.temperature = temperature;
        this.discount = discount;
        this.decay = decay;
        this.pseudoCount = pseudoCount;
        this.valueStep = valueStep;
        this.counts = new double[states * actions];
        this.value = new double[states];
        this.policy = new double[states * actions];
        refreshPolicy();
    }

    /**
     * Takes in one batch of the stream.
     *
     * @param batch the states and the follower's actions
     * @param followerReward the follower's reward table {@code r_F(s,a)} the environment emitted during the batch
     */
    public void observe(TabularBatch batch, double[] followerReward) {
        double factor = Math.pow(decay, batch.usedRows() / 100.0);
        for (int i = 0; i < counts.length; i++) {
            counts[i] *= factor;
        }
        int[] s = batch.states();
        int[] a = batch.actions();
        for (int e = 0; e < batch.streams(); e++) {
            for (int i = batch.streamStart(e), end = batch.streamEnd(e); i < end; i++) {
                counts[s[i] * actions + a[i]] += 1.0;
            }
        }
        refreshPolicy();
        for (int e = 0; e < batch.streams(); e++) {
            for (int i = batch.streamStart(e), end = batch.streamEnd(e); i < end; i++) {
                int row = s[i] * actions + a[i];
                double target = followerReward[row] - temperature * Math.log(policy[row]);
                if (batch.hasSuccessor(i)) {
                    target += discount * value[s[i + 1]];
                } else if (!batch.terminated()[i]) {
                    continue; // cut by the time limit or the batch's end: no successor to bootstrap from
                }
                value[s[i]] += valueStep * (target - value[s[i]]);
            }
        }
    }

    /** The fitted response: π̂_F, V̂_F, the assumed λ and the announced γ_F. */
    public TabularResponse response() {
        return new TabularResponse(states, actions, policy.clone(), value.clone(), temperature, discount);
    }

    private void refreshPolicy() {
        for (int st = 0; st < states; st++) {
            double total = 0.0;
            for (int act = 0; act < actions; act++) {
                total += counts[st * actions + act];
            }
            double norm = 1.0 / (total + actions * pseudoCount);
            for (int act = 0; act < actions; act++) {
                policy[st * actions + act] = (counts[st * actions + act] + pseudoCount) * norm;
            }
        }
    }

    /** Its counts and its value estimate. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("TabularFollowerFit").writeDoubles(counts).writeDoubles(value);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("TabularFollowerFit").readDoubles(counts);
        in.readDoubles(value);
        refreshPolicy();
    }
}
