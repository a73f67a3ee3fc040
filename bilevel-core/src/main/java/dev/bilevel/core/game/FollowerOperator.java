package dev.bilevel.core.game;

/**
 * How the game follower's soft Bellman backup values the next state, given that the leader moves
 * first and the follower observes the leader's action.
 */
public enum FollowerOperator {

    /**
     * The textbook sequential-move backup: {@code W(s,b) = λ·logsumexp_a Q(s,b,a)/λ},
     * {@code V(s) = Σ_b π_θ(b|s)·W(s,b)}.
     */
    SEQUENTIAL,

    /**
     * The reference code's backup: {@code V(s) = λ·logsumexp_a(Σ_b π_θ(b|s)·Q(s,b,a))/λ}, averaging over
     * the leader's action inside the log-sum-exp. Needed to reproduce the reference curves.
     */
    AVERAGED;

    /** Parses {@code "sequential"} or {@code "averaged"} (case-insensitive). */
    public static FollowerOperator parse(String name) {
        for (FollowerOperator op : values()) {
            if (op.name().equalsIgnoreCase(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("followerOperator: unknown operator '" + name
                + "', expected sequential or averaged");
    }

    /** The lower-case name used in problem files and configs. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
