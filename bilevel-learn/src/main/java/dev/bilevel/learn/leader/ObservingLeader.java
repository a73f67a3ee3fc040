package dev.bilevel.learn.leader;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.loop.Leader;
import dev.bilevel.learn.sampling.TabularBatch;
import java.util.Objects;
import java.util.function.Function;

/**
 * A leader with observed-only access to a tabular follower ({@code follower.access: observed}). It sees the
 * interaction stream, and the rewards the environment it hosts gives the follower under its own decision. It never
 * sees the follower's response: the loop hands every leader the follower's answer, and this one drops it. Its
 * estimators run unchanged on the response it fits to the stream ({@link TabularFollowerFit}).
 */
public final class ObservingLeader implements Leader<double[], TabularResponse, TabularBatch, DecisionLeader.Update>,
        Stateful {

    private final DecisionLeader<TabularResponse, TabularBatch> leader;
    private final TabularFollowerFit fit;
    private final Function<double[], double[]> emittedReward;

    /**
     * @param leader the leader whose estimator runs on the fitted response
     * @param fit the follower fit
     * @param emittedReward the follower's reward table the environment emits under a decision
     */
    public ObservingLeader(DecisionLeader<TabularResponse, TabularBatch> leader, TabularFollowerFit fit,
            Function<double[], double[]> emittedReward) {
        this.leader = Objects.requireNonNull(leader, "leader");
        this.fit = Objects.requireNonNull(fit, "fit");
        this.emittedReward = Objects.requireNonNull(emittedReward, "emittedReward");
    }

    @Override
    public double[] decision() {
        return leader.decision();
    }

    /**
     * Fits the follower to this batch, then learns as the wrapped leader would, from the fitted response.
     *
     * @param data this iteration's stream
     * @param response the follower's own answer: not used
     * @param rng the leader's randomness
     */
    @Override
    public DecisionLeader.Update learn(TabularBatch data, TabularResponse response, SplitMixRandom rng) {
        fit.observe(data, emittedReward.apply(leader.decision()));
        return leader.learn(data, fit.response(), rng);
    }

    /** The wrapped leader's state and the fit's. */
    @Override
    public void saveState(StateWriter out) {
        leader.saveState(out);
        fit.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        leader.restoreState(in);
        fit.restoreState(in);
    }
}
