package dev.bilevel.experiments.config;

import dev.bilevel.core.text.EditDistance;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** "Did you mean" for unknown config keys: the closest declared key by edit distance, if close enough. */
final class KeySuggestions {

    private KeySuggestions() {
    }

    /**
     * The declared key the user most likely meant.
     *
     * <p>Tries, in order: the same key in snake_case ({@code reg-lambda}), the nearest key by
     * Levenshtein distance when at most {@code max(1, min(3, length / 3))} edits away (ties go to the
     * key declared first), and the only dotted key whose last segment is the unknown key
     * ({@code solver} for {@code follower.solver}).
     *
     * @param unknown the key as written
     * @param declared the declared keys in declaration order
     * @return the suggestion, or empty if nothing is close
     */
    static Optional<String> suggest(String unknown, Collection<String> declared) {
        String snake = unknown.replace('-', '_');
        if (declared.contains(snake)) {
            return Optional.of(snake);
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : declared) {
            int d = EditDistance.between(unknown, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= Math.max(1, Math.min(3, unknown.length() / 3))) {
            return Optional.of(best);
        }
        List<String> bySegment = declared.stream().filter(name -> name.endsWith("." + snake)).toList();
        return bySegment.size() == 1 ? Optional.of(bySegment.get(0)) : Optional.empty();
    }
}
