package dev.bilevel.experiments.run;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * The layout of the console progress bar, fixed so that it fits an ordinary terminal: a short label, the bar, the
 * count, the percentage and the time left always show; the job's message (the objective so far) takes what room is
 * left and is cut, never the numbers:
 *
 * <pre>
 * discrete-toy R1 bchg [=====>         ] 4200/10000  42% ETA 0:58 | objective 0.4129
 * </pre>
 *
 * The label is the task's leading words that fit in {@value #LABEL} characters; the bar is 10 to 30 characters
 * wide. Plain ASCII, so it renders in any terminal encoding.
 */
final class ProgressLine implements ProgressBarRenderer {

    /** The widest label. */
    static final int LABEL = 20;

    private static final int MIN_BAR = 10;
    private static final int MAX_BAR = 30;

    @Override
    public String render(ProgressState state, int maxLength) {
        return render(state.getTaskName(), state.getCurrent(), state.isIndefinite() ? -1 : state.getMax(),
                state.getElapsedAfterStart(), state.getExtraMessage(), maxLength);
    }

    /**
     * One line of the bar.
     *
     * @param task the task's name
     * @param current steps done
     * @param max steps in all, or a negative number when unknown
     * @param elapsed time since the start
     * @param message the job's message, or {@code null}
     * @param width the terminal's width; the line is at most this long (but never drops the numbers)
     * @return the line
     */
    static String render(String task, long current, long max, Duration elapsed, String message, int width) {
        String label = label(task);
        String count = max >= 0 ? String.format(Locale.ROOT, "%d/%d", current, max) : Long.toString(current);
        String tail;
        if (max > 0) {
            tail = String.format(Locale.ROOT, "%s %3d%% ETA %s", count, 100 * current / max,
                    current <= 0 ? "?" : clock(elapsed.multipliedBy(max - current).dividedBy(current)));
        } else {
            tail = count + " " + clock(elapsed);
        }
        String extra = message == null ? "" : message.strip();
        int fixed = label.length() + 3 + 1 + tail.length(); // "LABEL [" + "] " + tail
        int bar = Math.max(MIN_BAR, Math.min(MAX_BAR, width - fixed - (extra.isEmpty() ? 0 : Math.min(extra.length()
                + 3, 24))));
        StringBuilder line = new StringBuilder(width);
        line.append(label).append(" [");
        int filled = max > 0 ? (int) Math.min(bar, bar * current / max) : 0;
        for (int i = 0; i < bar; i++) {
            char cell = ' ';
            if (i < filled - 1 || (i == filled - 1 && filled == bar)) {
                cell = '=';
            } else if (i == filled - 1) {
                cell = '>'; // the head, until the bar is full
            }
            line.append(cell);
        }
        line.append("] ").append(tail);
        int room = width - line.length() - 3;
        if (!extra.isEmpty() && room >= 4) {
            line.append(" | ").append(extra.length() <= room ? extra : extra.substring(0, room - 1) + "~");
        }
        return line.toString();
    }

    /** The task's leading words that fit in {@link #LABEL} characters (the first word cut if it alone is longer). */
    static String label(String task) {
        String[] words = task.strip().split("\\s+");
        StringBuilder label = new StringBuilder();
        for (String word : words) {
            if (label.length() + (label.length() == 0 ? 0 : 1) + word.length() > LABEL) {
                break;
            }
            label.append(label.length() == 0 ? "" : " ").append(word);
        }
        if (label.length() == 0) {
            return words[0].substring(0, LABEL - 1) + "~";
        }
        return label.toString();
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    private static String clock(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
