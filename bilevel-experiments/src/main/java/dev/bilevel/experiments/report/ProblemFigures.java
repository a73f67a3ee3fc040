package dev.bilevel.experiments.report;

import dev.bilevel.experiments.aggregate.Aggregate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Figures a problem adds to its report beside the learning curves (FourRooms: incentive heat-maps with
 * the follower's greedy path). Register an implementation in {@link Report}.
 */
public interface ProblemFigures {

    /** The problem these figures are for. */
    String problem();

    /**
     * Draws the figures of one setting.
     *
     * @param aggregate the sweep's numbers (its directory holds the trials)
     * @param setting the setting's values
     * @param selections the selected point per method, in display order
     * @param figuresDir where to write (PNG and SVG)
     * @return the figures written
     */
    List<Report.Figure> draw(Aggregate aggregate, Map<String, String> setting, List<Aggregate.Selection> selections,
            Path figuresDir);
}
