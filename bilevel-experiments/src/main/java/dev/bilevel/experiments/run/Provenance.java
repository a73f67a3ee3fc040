package dev.bilevel.experiments.run;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where a run's numbers came from: the bilevel version, the git commit the jar was built from (and whether that
 * tree had uncommitted changes), the JVM and OS, the command line, and when the run started. It goes into
 * {@code summary.json} and every sweep trial's record, never into {@code metrics.csv}, whose bytes depend only on
 * the config and the seed.
 *
 * <p>The commit comes from {@code dev/bilevel/git.properties}, which the command-line jar's build writes from the
 * checkout it is built in; a build outside a checkout (or a library user's classpath) has none, and the commit
 * reads {@code null}.
 *
 * @param version the bilevel version ({@code null} when not run from a built jar)
 * @param commit the full git commit id, or {@code null}
 * @param dirty whether the tree the jar was built from had uncommitted changes, or {@code null} when unknown
 * @param java the JVM: vendor, version and VM name
 * @param os the operating system: name, version and architecture
 * @param commandLine the arguments the command was given, after the program name
 * @param started when the run started, to the millisecond
 */
public record Provenance(String version, String commit, Boolean dirty, String java, String os,
        List<String> commandLine, Instant started) {

    /** The build-time git properties on the classpath. */
    static final String GIT_PROPERTIES = "/dev/bilevel/git.properties";

    /** Copies the command line. */
    public Provenance {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(os, "os");
        commandLine = List.copyOf(commandLine);
        Objects.requireNonNull(started, "started");
    }

    /**
     * The provenance of a run starting now, in this JVM.
     *
     * @param commandLine the command's arguments
     * @return its provenance
     */
    public static Provenance now(List<String> commandLine) {
        Properties git = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream(GIT_PROPERTIES)) {
            if (in != null) {
                git.load(in);
            }
        } catch (IOException e) {
            git.clear(); // unreadable build information is the same as none
        }
        String dirty = git.getProperty("git.dirty");
        return new Provenance(Provenance.class.getPackage().getImplementationVersion(),
                git.getProperty("git.commit.id"), dirty == null ? null : Boolean.valueOf(dirty),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version") + " ("
                        + System.getProperty("java.vm.name") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                commandLine, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * The same provenance for a run that started at another moment: a sweep's trial, which the driver
     * started at its own time.
     *
     * @param moment when that run started
     * @return the provenance with {@link #started} replaced
     */
    public Provenance startedAt(Instant moment) {
        return new Provenance(version, commit, dirty, java, os, commandLine, moment.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * The provenance as {@code summary.json} and trial records write it, with the end time and the wall time.
     *
     * @param ended when the run ended
     * @return an ordered map of plain values
     */
    public Map<String, Object> toMap(Instant ended) {
        Instant end = ended.truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("bilevel_version", version);
        map.put("git_commit", commit);
        map.put("git_dirty", dirty);
        map.put("java", java);
        map.put("os", os);
        map.put("command_line", commandLine);
        map.put("started", started.toString());
        map.put("ended", end.toString());
        map.put("wall_seconds", Duration.between(started, end).toMillis() / 1000.0);
        return map;
    }
}
