package dev.bilevel.learn.estimator.term;

import dev.bilevel.core.cmdp.DynamicsDesign;
import dev.bilevel.learn.critic.QuadraticTdCritic;
import dev.bilevel.learn.follower.GaussianResponse;

/**
 * The follower's sensitivity {@code ∇_w Q_F(x,u)} from the leader's model, the observed follower value and a
 * fitted {@code Ψ̂ ≈ ∇_w V_F}: differentiating {@code Q_F(x,u) = r_F(x,u) + γ_F E_w[V_F(x')|x,u]} (the follower's
 * reward does not depend on {@code w}) gives
 *
 * <pre>
 * ∇_w Q_F(x,u) = γ_F ( (∂μ/∂w)ᵀ ∇_μ E[V_F(x')] + E[∇_w V_F(x')] ) ≈ γ_F ( (∂μ/∂w)ᵀ ∇V_F(μ) + Ψ̂(μ) )
 * </pre>
 *
 * with {@code μ = μ(x,u;w)}. For the quadratic {@code V_F} of a soft-LQR follower and Gaussian noise
 * {@code ∇_μ E[V_F(x')] = ∇V_F(μ)} exactly; for the quadratic {@code Ψ̂} the expectation over the noise adds a
 * constant that no difference of two evaluations sees. Scratch arrays make an instance single-threaded.
 */
final class ModelSensitivity {

    private final DynamicsDesign.Model configured;
    private final GaussianResponse follower;
    private final QuadraticTdCritic psi;
    private final double[] mean;
    private final double[] valueGradient;
    private final double[] features;
    private final double[] psiAtMean;

    ModelSensitivity(DynamicsDesign.Model configured, GaussianResponse follower,
            QuadraticTdCritic psi, int stateDimension, int decisionDimension) {
        this.configured = configured;
        this.follower = follower;
        this.psi = psi;
        this.mean = new double[stateDimension];
        this.valueGradient = new double[stateDimension];
        this.features = new double[psi.features()];
        this.psiAtMean = new double[decisionDimension];
    }

    /** Writes the one-step part {@code (∂μ/∂w)ᵀ ∇V_F(μ(x,u))} (no {@code γ_F}) and leaves {@code μ} in scratch. */
    void oneStep(double[] x, double[] u, double[] out) {
        configured.transitionMean(x, u, mean);
        follower.valueGradient(mean, valueGradient);
        configured.transitionMeanGradient(x, u, valueGradient, out);
    }

    /** Writes {@code G(x,u) = γ_F ((∂μ/∂w)ᵀ ∇V_F(μ) + Ψ̂(μ))}. */
    void evaluate(double[] x, double[] u, double[] out) {
        oneStep(x, u, out);
        psi.predict(mean, 0, features, psiAtMean);
        double gammaF = follower.discount();
        for (int i = 0; i < out.length; i++) {
            out[i] = gammaF * (out[i] + psiAtMean[i]);
        }
    }
}
