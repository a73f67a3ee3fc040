// What the observed leader's λ fit (TabularFollowerFit with fitTemperature) recovers from the converged follower's
// stream, with no leader moving: on the chain problem file (λ = 0.1, from a start of 2λ, memory decay 1.0 and 0.99
// per 100 transitions) and on FourRooms at x = 0 (λ = 0.003, pseudo-counts 0.1 and 0.001). Prints λ̂ after each
// tenfold of transitions. Run from the repository root:
//   jshell --class-path bilevel-cli/target/bilevel.jar scripts/lambda-fit.jsh
import dev.bilevel.core.cmdp.*;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.leader.TabularFollowerFit;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.problems.fourrooms.*;
import dev.bilevel.problems.json.*;
import java.nio.file.Path;

void probe(String name, ConfigurableMdp mdp, double[] x, double start, double decay, double prior, int streams,
        int length, int batches) {
    double[] reward = mdp.followerReward().evaluate(x);
    FollowerSolution f = SoftPolicyIteration.exact().solve(mdp.dynamics(), reward, mdp.followerDiscount(),
            mdp.temperature(), null);
    TabularFollowerFit fit = new TabularFollowerFit(mdp.states(), mdp.actions(), start, mdp.followerDiscount(), decay,
            prior, 0.1, true);
    TabularSampler sampler = new TabularSampler(mdp.dynamics(), 200);
    SplitMixRandom rng = new SplitMixRandom(1);
    long n = 0;
    for (int i = 1; i <= batches; i++) {
        var batch = sampler.sample(f.policy(), streams, length, rng);
        n += batch.usedRows();
        fit.observe(batch, reward);
        if (i == batches || i == batches / 10 || i == batches / 100) {
            System.out.printf("%s, λ = %s, decay %s, pseudo-count %s: %,d transitions, λ̂ = %.4f%n", name,
                    mdp.temperature(), decay, prior, n, fit.temperature());
        }
    }
}

ConfigurableMdpProblem chain = (ConfigurableMdpProblem) ProblemFiles.read(Path.of("docs/examples/chain-cmdp.json"));
for (double decay : new double[] {1.0, 0.99}) {
    probe("chain", chain.mdp(), chain.parameters0(), 2 * chain.mdp().temperature(), decay, 0.1, 20, 200, 1000);
}
ConfigurableMdp rooms = new FourRooms(FourRoomsConfig.paper(0.003)).model();
for (double prior : new double[] {0.1, 0.001}) {
    probe("FourRooms", rooms, new double[rooms.dimension()], rooms.temperature(), 0.99, prior, 2, 50, 1000);
}
/exit
