package dev.bilevel.learn.leader;

import dev.bilevel.learn.estimator.Estimate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One update round of a replay actor-critic leader, as its {@link UpdateSchedule} says: the critic steps, then the
 * actor steps, averaged into an {@link ActorCriticReport}. The leader supplies the steps and, after the round, its
 * own Polyak step.
 */
final class ActorCriticRound {

    /** One critic step. */
    interface CriticStep {
        /** Runs it and writes {loss, mean critic value on its batch} into {@code out}. */
        void run(double[] out);
    }

    /** One actor step. */
    interface ActorStep {
        /** Runs it, writes {gradient norm, direct norm, response norm} into {@code norms}, and returns its estimate. */
        Estimate run(double[] norms);
    }

    private ActorCriticRound() {
    }

    static ActorCriticReport run(UpdateSchedule schedule, CriticStep critic, ActorStep actor) {
        int criticSteps = schedule.criticSteps();
        int actorSteps = schedule.actorSteps();
        double criticLoss = 0.0;
        double meanQ = 0.0;
        double[] out = new double[2];
        for (int step = 0; step < criticSteps; step++) {
            critic.run(out);
            criticLoss += out[0] / criticSteps;
            meanQ += out[1] / criticSteps;
        }
        double[] norms = new double[3];
        double[] stepNorms = new double[3];
        Map<String, Double> diagnostics = new LinkedHashMap<>();
        for (int step = 0; step < actorSteps; step++) {
            Estimate estimate = actor.run(stepNorms);
            for (int k = 0; k < 3; k++) {
                norms[k] += stepNorms[k] / actorSteps;
            }
            for (Map.Entry<String, Double> e : estimate.diagnostics().entrySet()) {
                diagnostics.merge(e.getKey(), e.getValue() / actorSteps, Double::sum);
            }
        }
        boolean acted = actorSteps > 0;
        boolean criticised = criticSteps > 0;
        return new ActorCriticReport(criticised ? criticLoss : Double.NaN, criticised ? meanQ : Double.NaN,
                acted ? norms[0] : Double.NaN, acted ? norms[1] : Double.NaN, acted ? norms[2] : Double.NaN,
                diagnostics);
    }
}
