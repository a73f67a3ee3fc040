package dev.bilevel.experiments.report;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.experiments.aggregate.Aggregate;
import dev.bilevel.experiments.aggregate.ProblemProfile;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.fourrooms.FourRoomsJob;
import dev.bilevel.experiments.plot.Plots;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.problems.fourrooms.FourRooms;
import dev.bilevel.problems.fourrooms.FourRoomsConfig;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * FourRooms incentive heat-maps: for each method's selected point in a setting, the final incentives of
 * its first seed (as the reference's notebook shows seed 0) on the 13×13 map, the share of the budget
 * left unused, and the follower's greedy path from S: the most likely action of its best response to
 * those incentives, followed cell by cell until it reaches G, repeats a cell, bumps into a wall or
 * takes 60 steps.
 */
public final class FourRoomsFigures implements ProblemFigures {

    private static final int CELL = 24;
    private static final int SIZE = 13;
    private static final int PANEL_W = SIZE * CELL + 24;
    private static final int TITLE_H = 62;
    private static final int PANEL_H = SIZE * CELL + TITLE_H + 12;
    private static final int LEGEND_W = 90;
    private static final int MAX_STEPS = 60;

    /**
     * What one panel shows.
     *
     * @param title method and seed
     * @param subtitle the score, and whether the path stops before G
     * @param budget how much of the penalty budget the leader leaves unspent
     * @param incentiveByState the incentive of each state
     * @param path the follower's greedy path
     * @param reachesGoal whether it reaches G
     */
    record Panel(String title, String subtitle, String budget, double[] incentiveByState, List<Integer> path,
            boolean reachesGoal) {
    }

    @Override
    public String problem() {
        return "four-rooms";
    }

    @Override
    public List<Report.Figure> draw(Aggregate aggregate, Map<String, String> setting, List<Aggregate.Selection> selections,
            Path figuresDir) {
        List<Panel> panels = new ArrayList<>();
        ProblemProfile profile = aggregate.profile();
        for (Aggregate.Selection s : selections) {
            if (s.point() == null || s.point().seeds().isEmpty()) {
                continue;
            }
            Aggregate.Seed seed = s.point().seeds().get(0);
            Path trial = aggregate.directory().resolve(seed.dir());
            Panel panel = panel(trial, profile.methodLabel(s.method()) + ", seed " + seed.seed(), seed.score());
            if (panel != null) {
                panels.add(panel);
            }
        }
        if (panels.isEmpty()) {
            return List.of();
        }
        String base = "incentives-" + Report.slug(setting);
        int columns = Math.min(panels.size(), 4);
        int rows = (panels.size() + columns - 1) / columns;
        int width = columns * PANEL_W + LEGEND_W;
        int height = rows * PANEL_H + 8;
        double max = 0.0;
        for (Panel p : panels) {
            for (double v : p.incentiveByState()) {
                max = Math.max(max, Math.abs(v));
            }
        }
        double scale = max > 0 ? max : 1.0;
        Plots.write((g, w, h) -> paint(g, panels, columns, scale), width, height, figuresDir, base);
        String caption = "Final incentives (penalties, darker = larger) of each method's selected point, first seed, "
                + Report.describe(profile, setting) + "; the blue line is the follower's greedy path from S to G, "
                + "T is the leader's target cell. “Budget left unspent”: the share of the leader's penalty budget (the "
                + "most penalty it may spread over the cells, the number after “of”) that it places on no cell.";
        return List.of(new Report.Figure(base, caption));
    }

    /** The panel of one trial directory, or {@code null} if it lacks its final decision. */
    static Panel panel(Path trial, String title, double score) {
        Path decisionFile = trial.resolve("final_decision.txt");
        Path incentivesFile = trial.resolve("final_incentives.txt");
        if (!Files.isRegularFile(decisionFile)) {
            return null;
        }
        ResolvedConfig config = FourRoomsJob.SCHEMA.resolve(trial.resolve(RunDirectory.CONFIG_FILE), List.of());
        FourRoomsConfig problemConfig = FourRoomsJob.problemConfig(config);
        FourRooms fourRooms = new FourRooms(problemConfig);
        double[] x = readVector(decisionFile);
        if (x.length != fourRooms.dimension()) {
            return null;
        }
        double[] cellIncentives = Files.isRegularFile(incentivesFile) ? readVector(incentivesFile)
                : fourRooms.incentives().incentives(x);
        int[] cells = problemConfig.coordinates() == FourRooms.Coordinates.ALL ? allStates() : FourRooms.CORRIDORS;
        double[] byState = new double[FourRooms.STATES];
        for (int i = 0; i < cells.length && i < cellIncentives.length; i++) {
            byState[cells[i]] = cellIncentives[i];
        }
        double[] p = fourRooms.incentives().probabilities(x);
        double unused = p[p.length - 1];
        ConfigurableMdp model = fourRooms.model();
        double[] reward = model.followerReward().evaluate(x);
        FollowerSolution solution = SoftPolicyIteration.exact().solve(model.dynamics(), reward, model.followerDiscount(),
                model.temperature(), null);
        double[] policy = solution.policy();
        List<Integer> path = new ArrayList<>();
        int s = FourRooms.START;
        path.add(s);
        boolean reaches = false;
        for (int step = 0; step < MAX_STEPS; step++) {
            if (s == FourRooms.GOAL) {
                reaches = true;
                break;
            }
            int best = 0;
            for (int a = 1; a < FourRooms.ACTIONS; a++) {
                if (policy[s * FourRooms.ACTIONS + a] > policy[s * FourRooms.ACTIONS + best]) {
                    best = a;
                }
            }
            int next = FourRooms.move(s, best);
            if (next == s || path.contains(next)) {
                break;
            }
            path.add(next);
            s = next;
        }
        reaches |= s == FourRooms.GOAL;
        String subtitle = String.format(Locale.ROOT, "score %.3f%s", score, reaches ? "" : ", path stops before G");
        String budget = String.format(Locale.ROOT, "budget left unspent: %.0f%% of %s", 100 * unused,
                BigDecimal.valueOf(problemConfig.budget()).stripTrailingZeros().toPlainString());
        return new Panel(title, subtitle, budget, byState, path, reaches);
    }

    private static void paint(Graphics2D g, List<Panel> panels, int columns, double scale) {
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        Font letter = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        for (int i = 0; i < panels.size(); i++) {
            Panel panel = panels.get(i);
            int ox = (i % columns) * PANEL_W + 12;
            int oy = (i / columns) * PANEL_H + 8;
            g.setColor(Color.BLACK);
            g.setFont(titleFont);
            g.drawString(panel.title(), ox, oy + 14);
            g.setFont(small);
            g.setColor(Color.DARK_GRAY);
            g.drawString(panel.subtitle(), ox, oy + 32);
            g.drawString(panel.budget(), ox, oy + 47);
            int gy = oy + TITLE_H - 6;
            for (int r = 0; r < SIZE; r++) {
                for (int c = 0; c < SIZE; c++) {
                    int px = ox + c * CELL;
                    int py = gy + r * CELL;
                    boolean wall = FourRooms.MAP.get(r).charAt(c) == 'x';
                    if (wall) {
                        g.setColor(new Color(60, 60, 60));
                    } else {
                        double v = Math.abs(panel.incentiveByState()[FourRooms.state(r, c)]) / scale;
                        g.setColor(heat(Math.min(1.0, v)));
                    }
                    g.fillRect(px, py, CELL, CELL);
                    if (!wall) {
                        g.setColor(new Color(210, 210, 210));
                        g.drawRect(px, py, CELL, CELL);
                    }
                }
            }
            if (panel.path().size() > 1) {
                Path2D line = new Path2D.Double();
                for (int k = 0; k < panel.path().size(); k++) {
                    int st = panel.path().get(k);
                    double cx = ox + FourRooms.column(st) * CELL + CELL / 2.0;
                    double cy = gy + FourRooms.row(st) * CELL + CELL / 2.0;
                    if (k == 0) {
                        line.moveTo(cx, cy);
                    } else {
                        line.lineTo(cx, cy);
                    }
                }
                g.setColor(new Color(20, 90, 200));
                g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(line);
                g.setStroke(new BasicStroke(1f));
                int last = panel.path().get(panel.path().size() - 1);
                int prev = panel.path().get(panel.path().size() - 2);
                arrowHead(g, ox, gy, prev, last);
            }
            // Letters last, on a small white tile, so that the path never hides them.
            g.setFont(letter);
            label(g, FourRooms.START, "S", ox, gy);
            label(g, FourRooms.GOAL, "G", ox, gy);
            label(g, FourRooms.TARGET, "T", ox, gy);
        }
        // Colour scale.
        int lx = columns * PANEL_W + 8;
        int ly = TITLE_H + 8;
        int lh = SIZE * CELL;
        for (int k = 0; k < lh; k++) {
            g.setColor(heat(1.0 - (double) k / (lh - 1)));
            g.fillRect(lx, ly + k, 16, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(lx, ly, 16, lh);
        g.setFont(small);
        g.drawString(String.format(Locale.ROOT, "%.3f", -scale), lx + 20, ly + 10);
        g.drawString("0", lx + 20, ly + lh);
        g.drawString("incentive", lx - 2, ly - 8);
    }

    private static void label(Graphics2D g, int state, String text, int ox, int gy) {
        FontMetrics fm = g.getFontMetrics();
        int px = ox + FourRooms.column(state) * CELL;
        int py = gy + FourRooms.row(state) * CELL;
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRoundRect(px + CELL / 2 - 7, py + CELL / 2 - 8, 14, 16, 4, 4);
        g.setColor(Color.BLACK);
        g.drawString(text, px + (CELL - fm.stringWidth(text)) / 2, py + (CELL + fm.getAscent()) / 2 - 2);
    }

    private static void arrowHead(Graphics2D g, int ox, int gy, int from, int to) {
        double x1 = ox + FourRooms.column(from) * CELL + CELL / 2.0;
        double y1 = gy + FourRooms.row(from) * CELL + CELL / 2.0;
        double x2 = ox + FourRooms.column(to) * CELL + CELL / 2.0;
        double y2 = gy + FourRooms.row(to) * CELL + CELL / 2.0;
        double angle = Math.atan2(y2 - y1, x2 - x1);
        Path2D head = new Path2D.Double();
        head.moveTo(x2, y2);
        head.lineTo(x2 - 9 * Math.cos(angle - 0.45), y2 - 9 * Math.sin(angle - 0.45));
        head.lineTo(x2 - 9 * Math.cos(angle + 0.45), y2 - 9 * Math.sin(angle + 0.45));
        head.closePath();
        g.fill(head);
    }

    /** White (0) to dark red (1). */
    private static Color heat(double t) {
        int r = (int) Math.round(255 - t * (255 - 165));
        int gr = (int) Math.round(255 - t * 255);
        int b = (int) Math.round(255 - t * 255);
        return new Color(r, Math.max(0, gr), Math.max(0, b));
    }

    private static int[] allStates() {
        int[] all = new int[FourRooms.STATES];
        for (int s = 0; s < all.length; s++) {
            all[s] = s;
        }
        return all;
    }

    private static double[] readVector(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty())
                    .mapToDouble(Double::parseDouble).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
