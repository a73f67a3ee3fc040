package dev.bilevel.experiments.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Decision vectors in text files: one number per line (a run's {@code final_decision.txt}, say). */
public final class DecisionFiles {

    private DecisionFiles() {
    }

    /**
     * Reads a decision.
     *
     * @param file the file
     * @param dimension the decision's dimension
     * @param key the config key that named the file, for messages
     * @return the weights
     * @throws IllegalArgumentException naming {@code key} when the file cannot be read, holds something that is
     *     not a finite number, or has the wrong number of lines
     */
    public static double[] read(String file, int dimension, String key) {
        double[] x;
        try {
            x = Files.readAllLines(Path.of(file)).stream().map(String::strip).filter(l -> !l.isEmpty())
                    .mapToDouble(Double::parseDouble).toArray();
        } catch (IOException | InvalidPathException e) {
            throw new IllegalArgumentException(key + ": cannot read " + file + " (" + e.getMessage() + ")");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": " + file + " holds a line that is not a number ("
                    + e.getMessage() + ")");
        }
        if (x.length != dimension) {
            throw new IllegalArgumentException(key + ": " + file + " holds " + x.length + " weights, the decision has "
                    + dimension);
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(key + ": " + file + " holds " + v);
            }
        }
        return x;
    }
}
