package dev.bilevel.problems.fourrooms;

/**
 * Constants of a FourRooms instance. {@link #paper(double)} gives the reference values.
 *
 * @param temperature follower entropy temperature {@code λ} (paper: 0.001, 0.003, 0.005)
 * @param coordinates which cells carry incentives
 * @param failProbability slip parameter {@code f} (0.33)
 * @param budget incentive range {@code [0, −budget]} (0.2)
 * @param incentiveCost leader's cost {@code c} per unit of budget spent, charged at the goal (5.0)
 * @param followerDiscount {@code γ_F} (0.99)
 * @param leaderDiscount {@code γ_L} (0.99)
 * @param maxEpisodeSteps simulator time limit (200)
 */
public record FourRoomsConfig(double temperature, FourRooms.Coordinates coordinates, double failProbability,
        double budget, double incentiveCost, double followerDiscount, double leaderDiscount, int maxEpisodeSteps) {

    /** Validates the constants. */
    public FourRoomsConfig {
        if (!(failProbability >= 0.0 && failProbability <= 0.75)) {
            throw new IllegalArgumentException("fail-prob: " + failProbability + " is outside [0, 0.75]");
        }
        if (!(budget >= 0.0) || Double.isInfinite(budget)) {
            throw new IllegalArgumentException("budget: " + budget + " must be a finite number ≥ 0");
        }
        if (!Double.isFinite(incentiveCost)) {
            throw new IllegalArgumentException("incentive-cost: " + incentiveCost + " must be finite");
        }
        if (maxEpisodeSteps < 1) {
            throw new IllegalArgumentException("max-episode-steps: " + maxEpisodeSteps + " must be ≥ 1");
        }
    }

    /** The reference configuration at temperature {@code λ}: all cells, f = 0.33, budget 0.2, c = 5, γ = 0.99. */
    public static FourRoomsConfig paper(double temperature) {
        return new FourRoomsConfig(temperature, FourRooms.Coordinates.ALL, 0.33, 0.2, 5.0, 0.99, 0.99, 200);
    }

    /** The same configuration with other incentive coordinates. */
    public FourRoomsConfig withCoordinates(FourRooms.Coordinates other) {
        return new FourRoomsConfig(temperature, other, failProbability, budget, incentiveCost, followerDiscount,
                leaderDiscount, maxEpisodeSteps);
    }
}
