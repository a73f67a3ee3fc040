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
 *       announcement; 0.5 or 2 to measure what a wrong one costs), or <b>fitted</b> from the TD consistency of
 *       the same stream. At the truth the soft TD error {@code δ = r_F − λ·log π(a|s) + γ_F·V(s') − V(s)} has mean
 *       zero given {@code (s, a)}, so it is uncorrelated with {@code u(s,a) = log π̂(a|s) − Σ_b π̂(b|s)·log π̂(b|s)},
 *       which has mean zero given {@code s} and so is uncorrelated with {@code V(s)}: {@code λ̂ = Σ (r_F + γ_F·V̂(s'))·u
 *       / Σ log π̂(a|s)·u}, both sums decayed as the counts are (an instrumental-variable estimate; within a state
 *       it regresses the follower's one-step soft returns on its log-probabilities). Until the stream has shown a
 *       state with more than one action, and whenever the ratio is not positive, the fit keeps the announced
 *       value. {@code γ_F} is announced.</li>
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
    private final boolean fitTemperature;
    private final double[] counts;
    private final double[] value;
    private final double[] policy;
    private final double[] meanLog;
    private double numerator;
    private double denominator;

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
        this(states, actions, temperature, discount, decay, pseudoCount, valueStep, false);
    }

    /**
     * A fit that may also estimate {@code λ}.
     *
     * @param states the number of states
     * @param actions the number of actions
     * @param temperature the λ the leader assumes, or, with {@code fitTemperature}, the one it starts from
     * @param discount the follower's announced γ_F
     * @param decay the factor on the counts per 100 observed transitions, in {@code (0, 1]}
     * @param pseudoCount {@code c > 0}
     * @param valueStep the soft TD step β, in {@code (0, 1]}
     * @param fitTemperature whether to fit {@code λ} to the stream
     */
    public TabularFollowerFit(int states, int actions, double temperature, double discount, double decay,
            double pseudoCount, double valueStep, boolean fitTemperature) {
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
        this.fitTemperature = fitTemperature;
        this.meanLog = new double[states];
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
        double lambda = temperature();
        numerator *= factor;
        denominator *= factor;
        for (int e = 0; e < batch.streams(); e++) {
            for (int i = batch.streamStart(e), end = batch.streamEnd(e); i < end; i++) {
                int row = s[i] * actions + a[i];
                double logPolicy = Math.log(policy[row]);
                double target = followerReward[row] - lambda * logPolicy;
                double next = 0.0;
                if (batch.hasSuccessor(i)) {
                    next = discount * value[s[i + 1]];
                    target += next;
                } else if (!batch.terminated()[i]) {
                    continue; // cut by the time limit or the batch's end: no successor to bootstrap from
                }
                if (fitTemperature) {
                    double u = logPolicy - meanLog[s[i]];
                    numerator += (followerReward[row] + next) * u;
                    denominator += logPolicy * u;
                }
                value[s[i]] += valueStep * (target - value[s[i]]);
            }
        }
    }

    /**
     * The λ the fit uses: the assumed one, or with {@code fitTemperature} the fitted one (the starting value until
     * the stream identifies it).
     */
    public double temperature() {
        if (!fitTemperature || !(denominator > 0.0)) {
            return temperature;
        }
        double fitted = numerator / denominator;
        return fitted > 0.0 && Double.isFinite(fitted) ? fitted : temperature;
    }

    /** The fitted response: π̂_F, V̂_F, the assumed or fitted λ and the announced γ_F. */
    public TabularResponse response() {
        return new TabularResponse(states, actions, policy.clone(), value.clone(), temperature(), discount);
    }

    private void refreshPolicy() {
        for (int st = 0; st < states; st++) {
            double total = 0.0;
            for (int act = 0; act < actions; act++) {
                total += counts[st * actions + act];
            }
            double norm = 1.0 / (total + actions * pseudoCount);
            double mean = 0.0;
            for (int act = 0; act < actions; act++) {
                double p = (counts[st * actions + act] + pseudoCount) * norm;
                policy[st * actions + act] = p;
                mean += p * Math.log(p);
            }
            meanLog[st] = mean;
        }
    }

    /** Its counts, its value estimate and its sums for λ. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("TabularFollowerFit").writeDoubles(counts).writeDoubles(value);
        if (fitTemperature) {
            out.writeDouble(numerator).writeDouble(denominator);
        }
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("TabularFollowerFit").readDoubles(counts);
        in.readDoubles(value);
        if (fitTemperature) {
            numerator = in.readDouble();
            denominator = in.readDouble();
        }
        refreshPolicy();
    }
}
