package dev.bilevel.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The progress bar's layout keeps its numbers on an 80-column terminal, whatever the task's name. */
class ProgressLineTest {

    private static final String TASK = "discrete-toy R1 bchg (on-policy)  seed = 1  actor/critic steps = 10/1";

    @Test
    void fitsEightyColumnsWithEveryNumberAndAShortLabel() {
        String line = ProgressLine.render(TASK, 4200, 10_000, Duration.ofSeconds(42), "objective 0.4129", 80);
        assertThat(line).hasSizeLessThanOrEqualTo(80)
                .startsWith("discrete-toy R1 bchg [")
                .contains("4200/10000", " 42% ", "ETA 0:58", "| objective 0.41");
        assertThat(line.substring(line.indexOf('[') + 1, line.indexOf(']'))).hasSizeGreaterThanOrEqualTo(10)
                .matches("=*> *");
    }

    @Test
    void aWiderTerminalShowsTheWholeMessageAndAWiderBar() {
        String narrow = ProgressLine.render(TASK, 4200, 10_000, Duration.ofSeconds(42), "objective 0.4129  K = [2.2, "
                + "-2.8]", 80);
        String wide = ProgressLine.render(TASK, 4200, 10_000, Duration.ofSeconds(42), "objective 0.4129  K = [2.2, "
                + "-2.8]", 120);
        assertThat(narrow).hasSizeLessThanOrEqualTo(80).endsWith("~");
        assertThat(wide).hasSizeLessThanOrEqualTo(120).endsWith("objective 0.4129  K = [2.2, -2.8]");
        assertThat(wide.indexOf(']') - wide.indexOf('[')).isGreaterThan(narrow.indexOf(']') - narrow.indexOf('['));
    }

    @Test
    void theBarFillsWithTheCountAndHoursShowInTheEta() {
        String start = ProgressLine.render("thermal", 0, 2000, Duration.ZERO, null, 80);
        String done = ProgressLine.render("thermal", 2000, 2000, Duration.ofHours(2), null, 80);
        String slow = ProgressLine.render("thermal", 1, 2000, Duration.ofSeconds(10), null, 80);
        assertThat(start).contains("[ ", "0/2000", "  0% ETA ?").doesNotContain("=").doesNotContain(">");
        assertThat(done).contains("100% ETA 0:00").doesNotContain(" ]").doesNotContain(">");
        assertThat(slow).contains("ETA 5:33:10");
    }

    @Test
    void labelsAreTheLeadingWordsThatFit() {
        assertThat(ProgressLine.label("four-rooms bchg λ=0.003 samples=100 seed=0")).isEqualTo("four-rooms bchg");
        assertThat(ProgressLine.label("thermal-random-search-with-a-long-name x")).hasSize(ProgressLine.LABEL)
                .endsWith("~");
    }
}
