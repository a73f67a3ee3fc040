package dev.bilevel.experiments.guided;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.learning.ContinuousSoftActorCritic;
import dev.bilevel.learn.follower.SoftActorCriticGameResponse;
import dev.bilevel.learn.leader.ActorCriticReport;
import dev.bilevel.learn.leader.ContinuousGameLeader;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import dev.bilevel.learn.sampling.Replay;

/**
 * A learning leader's wind in a guided task, asynchronous with its learning follower (the learning-follower issue):
 * one stream of episodes, the follower learning after every step at its own rate, the leader learning every
 * {@code interval} follower gradient steps once the follower has made {@code warmup} environment steps.
 *
 * <p>The leader's policy is linear-Gaussian in its own features {@code [x, 1]} (the constant lets it aim the cart
 * at a target off the origin). It remembers every training transition in its own replay buffer, the follower's
 * actions included, as the shared stream shows them. It sees the follower only through a
 * {@link SoftActorCriticGameResponse}: a copy of the follower's policy, soft value and temperature, taken at each
 * of its updates.
 */
final class GaussianWindLeader implements Wind, Stateful {

    private final ContinuousGameLeader leader;
    private final ContinuousReplayBuffer buffer;
    private final SoftActorCriticGameResponse response;
    private final ContinuousSoftActorCritic follower;
    private final int interval;
    private final long warmup;
    private final SplitMixRandom rng;
    private final SplitMixRandom valueRandom;
    private final int n;
    private final double[] features;
    private final double[] nextFeatures;
    private final double[] out = new double[1];
    private final double[] played = new double[1];
    private long lastUpdate;
    private int updates;
    // this iteration's reports
    private int reported;
    private double criticLoss;
    private double gradientNorm;
    private double responseNorm;

    /**
     * @param leader the actor-critic leader over features {@code [x, 1]}
     * @param buffer its replay buffer over the same features
     * @param response what it observes of the follower
     * @param follower the follower, read for its step counts (the pace of the stream) and shown to
     *     {@code response} before each update
     * @param stateDimension {@code n}, the game state's coordinates
     * @param interval follower gradient steps between leader updates, ≥ 1
     * @param warmup follower environment steps before the leader's first update, ≥ 0
     * @param rng the leader's learning randomness
     * @param valueRandom the randomness of {@code response}'s soft-value draws (saved with the leader)
     */
    GaussianWindLeader(ContinuousGameLeader leader, ContinuousReplayBuffer buffer,
            SoftActorCriticGameResponse response, ContinuousSoftActorCritic follower, int stateDimension,
            int interval, long warmup, SplitMixRandom rng, SplitMixRandom valueRandom) {
        this.leader = leader;
        this.buffer = buffer;
        this.response = response;
        this.follower = follower;
        this.n = stateDimension;
        this.interval = interval;
        this.warmup = warmup;
        this.rng = rng;
        this.valueRandom = valueRandom;
        features = new double[n + 1];
        nextFeatures = new double[n + 1];
        features[n] = 1.0;
        nextFeatures[n] = 1.0;
    }

    @Override
    public double draw(double[] state, SplitMixRandom random, boolean training) {
        System.arraycopy(state, 0, features, 0, n);
        if (training) {
            leader.decision().sample(features, 0, random, out, 0);
        } else {
            leader.decision().mean(features, 0, out, 0);
        }
        return out[0];
    }

    @Override
    public void observe(double[] state, double wind, double[] followerAction, double leaderReward,
            double followerReward, double[] next, boolean terminated, boolean last, int time) {
        System.arraycopy(state, 0, features, 0, n);
        System.arraycopy(next, 0, nextFeatures, 0, n);
        played[0] = wind;
        buffer.add(features, 0, played, 0, followerAction, 0, leaderReward, followerReward, nextFeatures, 0,
                terminated, last, time);
        if (follower.steps() < warmup || follower.gradientSteps() - lastUpdate < interval) {
            return;
        }
        lastUpdate = follower.gradientSteps();
        follower.showTo(response);
        ActorCriticReport report = leader.learn(new Replay<>(buffer, null, false, follower.steps()), response, rng);
        if (report == ActorCriticReport.NONE) {
            return; // its replay does not yet hold a batch
        }
        updates++;
        reported++;
        criticLoss += report.criticLoss();
        gradientNorm += report.gradientNorm();
        responseNorm += report.responseNorm();
        double[] gain = leader.decision().gain();
        for (double k : gain) {
            if (!Double.isFinite(k)) {
                throw new ArithmeticException("the leader's wind policy diverged after " + updates + " updates");
            }
        }
    }

    /** Its updates so far. */
    int updates() {
        return updates;
    }

    /** Its policy's gain {@code [k_x …, bias]} (live). */
    double[] gain() {
        return leader.decision().gain();
    }

    /**
     * This iteration's mean critic loss, gradient norm and response norm ({@code NaN} without an update), then
     * starts the next iteration's.
     */
    double[] drainReports() {
        double[] means = reported == 0 ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                : new double[] {criticLoss / reported, gradientNorm / reported, responseNorm / reported};
        reported = 0;
        criticLoss = 0.0;
        gradientNorm = 0.0;
        responseNorm = 0.0;
        return means;
    }

    /** The leader, its buffer, its pace and its randomness (checkpoints fall between iterations). */
    @Override
    public void saveState(StateWriter writer) {
        writer.begin("GaussianWindLeader").writeLong(lastUpdate).writeInt(updates).writeRandom(rng)
                .writeRandom(valueRandom);
        leader.saveState(writer);
        buffer.saveState(writer);
    }

    @Override
    public void restoreState(StateReader reader) {
        reader.begin("GaussianWindLeader");
        lastUpdate = reader.readLong();
        updates = reader.readInt();
        reader.readRandom(rng);
        reader.readRandom(valueRandom);
        leader.restoreState(reader);
        buffer.restoreState(reader);
    }
}
