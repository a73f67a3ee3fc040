package dev.bilevel.experiments.config;

import java.util.List;

/** The schema the config tests share: one key of every kind. */
final class TestSchemas {

    private TestSchemas() {
    }

    static ConfigSchema job() {
        return ConfigSchema.builder()
                .string("problem", "four-rooms", "problem name")
                .choice("method", "bchg", List.of("bchg", "naive", "hpgd"), "leader method")
                .real("reg_lambda", 0.003, Bound.POSITIVE, "follower temperature")
                .real("learning_rate", 0.1, Bound.POSITIVE, "leader step size")
                .real("discount", 0.99, Bound.closedOpen(0, 1), "leader discount")
                .real("offset", -1.5, "any finite number")
                .integer("samples", 100, 1, Integer.MAX_VALUE, "trajectories per step")
                .integer("horizon", 10, 1, 50, "episode length")
                .longInt("seed", 0L, "master seed")
                .bool("exact", false, "use the exact hypergradient")
                .string("follower.solver", "newton", "follower solver")
                .realOrNull("follower.tolerance", Bound.POSITIVE, "solver tolerance")
                .integerOrNull("follower.max_iterations", 1, 1_000_000, "iteration cap")
                .stringOrNull("note", "free text")
                .build();
    }
}
