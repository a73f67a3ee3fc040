package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.DoubleText;
import dev.bilevel.experiments.catalog.ExperimentJobs;
import dev.bilevel.experiments.config.ConfigException;
import dev.bilevel.experiments.config.ConfigKey;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.InputFile;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A sweep: a grid of trials read from a YAML spec. Every key of the problem's config may be given a
 * single value or a list (a grid axis); {@code seeds} gives the seeds (a count {@code N} for
 * {@code 0 … N−1}, or a list), {@code configs} optional base config files (paths or globs, relative to
 * the spec; one more axis), {@code title} a title for the report:
 *
 * <pre>
 * problem: four-rooms
 * title: BC-HG against HPGD at λ = 0.003
 * seeds: 3
 * method: [bchg, hpgd-mc, naive]
 * reg_lambda: 0.003
 * samples: [100, 400]
 * iterations: 10000
 * </pre>
 *
 * <p>Trials are the product configs × axes (in the spec's order, the first axis outermost) × seeds. Each
 * trial's config is resolved like {@code bilevel run --config BASE key=value …} and completed by its job
 * (tuned defaults), and its id is {@link ResolvedConfig#stableHash()} of the result: the hash of the full
 * resolved config, seed included. The same trial in two sweeps has the same id, and two grid points that
 * resolve to the same config are one trial.
 *
 * <p>Keys that name input files ({@link ExperimentJob#inputFiles()}, such as the problem file of
 * {@code problem-file}) are paths relative to the spec's directory, or, when a {@code configs} file sets them,
 * to that file's directory.
 *
 * <p>Every problem with the spec is a {@link ConfigException} with one line naming the key and the
 * spec's line: an unknown key (with a suggestion), a bad value, an empty axis, a seed that is not a whole
 * number, a config file that does not exist, a grid of more than {@link #MAX_TRIALS} trials.
 */
public final class SweepSpec {

    /** The key for seeds: a count or a list. */
    public static final String SEEDS = "seeds";
    /** The key for base config files (paths or globs relative to the spec). */
    public static final String CONFIGS = "configs";
    /** The key for the report's title. */
    public static final String TITLE = "title";

    /**
     * The most trials a sweep may have. The grid's size is computed before any trial is made, so a spec
     * beyond it is refused at once, not after minutes of listing and gigabytes of configs.
     */
    public static final long MAX_TRIALS = 100_000;

    private static final Pattern WHOLE = Pattern.compile("[-+]?\\d+");
    private static final String GLOB_CHARS = "*?[{";

    /**
     * One trial of the sweep.
     *
     * @param spec what an executor runs
     * @param config the completed config
     * @param label the values of the keys that vary across the sweep, {@code method=bchg samples=100 seed=2}
     */
    public record Trial(TrialSpec spec, ResolvedConfig config, String label) {

        /** The trial id. */
        public String id() {
            return spec.id();
        }

        /** The name of the trial's directory: the first 16 hex digits of the id. */
        public String dirName() {
            return SweepDirectory.dirName(spec.id());
        }
    }

    private final String text;
    private final String source;
    private final String problem;
    private final String title;
    private final List<Trial> trials;
    private final List<String> varyingKeys;
    private final int duplicates;

    private SweepSpec(String text, String source, String problem, String title, List<Trial> trials,
            List<String> varyingKeys, int duplicates) {
        this.text = text;
        this.source = source;
        this.problem = problem;
        this.title = title;
        this.trials = List.copyOf(trials);
        this.varyingKeys = List.copyOf(varyingKeys);
        this.duplicates = duplicates;
    }

    /**
     * Reads a spec file; relative {@code configs} and input-file paths are relative to the file's directory.
     *
     * @param file the YAML spec
     * @return the sweep
     * @throws ConfigException for an unreadable file or any problem with the spec
     */
    public static SweepSpec read(Path file) {
        String where = "sweep spec " + file + ": ";
        String text;
        if (Files.isDirectory(file)) {
            throw new ConfigException(where + "is a directory");
        }
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(null, where + "not found", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(null, where + "permission denied", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(null, where + "not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(null, where + "cannot read (" + e.getMessage() + ")", e);
        }
        Path parent = file.toAbsolutePath().getParent();
        return parse(text, "sweep spec " + file, parent);
    }

    /**
     * Parses a spec.
     *
     * @param text the YAML text
     * @param source what to call it in messages ({@code sweep spec x.yaml})
     * @param baseDir the directory relative {@code configs} paths and input-file paths start from
     * @return the sweep
     * @throws ConfigException for any problem with the spec
     */
    public static SweepSpec parse(String text, String source, Path baseDir) {
        List<FlatYaml.Entry> entries = FlatYaml.parse(text, source);
        Map<String, FlatYaml.Entry> byKey = new LinkedHashMap<>();
        for (FlatYaml.Entry e : entries) {
            byKey.put(e.key(), e);
        }
        String title = null;
        FlatYaml.Entry titleEntry = byKey.remove(TITLE);
        if (titleEntry != null) {
            if (titleEntry.list() || titleEntry.scalar() == null) {
                throw new ConfigException(TITLE, TITLE + ": expected one line of text (" + at(source, titleEntry) + ")");
            }
            title = titleEntry.scalar();
        }
        List<Path> bases = configFiles(byKey.remove(CONFIGS), source, baseDir);
        FlatYaml.Entry seedsEntry = byKey.remove(SEEDS);

        String problem = problem(byKey.get("problem"), bases, source);
        ExperimentJob job;
        try {
            job = ExperimentJobs.forProblem(problem, "problem");
        } catch (IllegalArgumentException e) {
            FlatYaml.Entry p = byKey.get("problem");
            throw new ConfigException("problem", e.getMessage() + " (" + (p != null ? at(source, p)
                    : "config file " + bases.get(0)) + ")");
        }
        ConfigSchema schema = job.schema();
        ResolvedConfig defaults = schema.defaults();
        Set<String> pathKeys = new HashSet<>();
        job.inputFiles().forEach(f -> pathKeys.add(f.pathKey()));

        // Check every key and value before anything runs.
        Map<String, Object> fixed = new LinkedHashMap<>();
        Map<String, List<Object>> axes = new LinkedHashMap<>();
        for (FlatYaml.Entry e : byKey.values()) {
            if (e.key().equals("seed")) {
                throw new ConfigException("seed", "seed: a sweep takes '" + SEEDS
                        + ":' (a count, or a list of seeds) instead (" + at(source, e) + ")");
            }
            if (!schema.contains(e.key())) {
                try {
                    defaults.with(e.key(), null);
                } catch (ConfigException unknown) {
                    String quoted = "'" + e.key() + "'";
                    throw new ConfigException(e.key(), unknown.getMessage().replaceFirst(Pattern.quote(quoted),
                            java.util.regex.Matcher.quoteReplacement(quoted + " in " + at(source, e))));
                }
                throw new ConfigException(e.key(), "unknown config key '" + e.key() + "' in " + at(source, e));
            }
            if (e.list()) {
                if (e.key().equals("problem")) {
                    throw new ConfigException("problem", "problem: a sweep runs one problem, give one name ("
                            + at(source, e) + ")");
                }
                if (e.values().isEmpty()) {
                    throw new ConfigException(e.key(), e.key() + ": empty grid axis, give at least one value ("
                            + at(source, e) + ")");
                }
                List<Object> values = new ArrayList<>();
                for (String v : e.values()) {
                    Object parsed = relativeTo(baseDir, pathKeys, e.key(), check(defaults, e, v, source));
                    if (values.contains(parsed)) {
                        throw new ConfigException(e.key(), e.key() + ": " + (v == null ? "null" : v)
                                + " is listed twice (" + at(source, e) + ")");
                    }
                    values.add(parsed);
                }
                axes.put(e.key(), values);
            } else {
                fixed.put(e.key(), relativeTo(baseDir, pathKeys, e.key(), check(defaults, e, e.scalar(), source)));
            }
        }
        List<Long> seeds = seeds(seedsEntry, source);
        if (seeds != null && !schema.contains("seed")) {
            throw new ConfigException(SEEDS, SEEDS + ": problem " + problem + " has no 'seed' key ("
                    + at(source, seedsEntry) + ")");
        }

        checkGridSize(bases.size(), axes, seeds == null ? 1 : seeds.size(), source);

        // Expand: bases × axes × seeds, completing each config; equal configs are one trial.
        List<ResolvedConfig> configs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        List<String> axisKeys = new ArrayList<>(axes.keySet());
        List<Path> baseList = bases.isEmpty() ? java.util.Collections.singletonList(null) : bases;
        for (Path base : baseList) {
            ResolvedConfig fromBase = schema.resolve(base, List.of(), fixed);
            for (String key : pathKeys) {
                // A relative input path in a base config file is relative to that file.
                if (base != null && !fixed.containsKey(key) && !axes.containsKey(key)) {
                    Optional<String> written = ConfigSchema.peek(base, key);
                    if (written.isPresent()) {
                        fromBase = fromBase.with(key, InputFile.resolve(written.get(),
                                base.toAbsolutePath().getParent(), key + " (config file " + base + ")"));
                    }
                }
            }
            int[] index = new int[axisKeys.size()];
            while (true) {
                ResolvedConfig point = fromBase;
                StringBuilder where = new StringBuilder();
                for (int a = 0; a < axisKeys.size(); a++) {
                    Object v = axes.get(axisKeys.get(a)).get(index[a]);
                    point = point.with(axisKeys.get(a), v);
                    where.append(where.length() == 0 ? "" : ", ").append(axisKeys.get(a)).append('=')
                            .append(format(v));
                }
                for (Long seed : seeds == null ? java.util.Collections.<Long>singletonList(null) : seeds) {
                    ResolvedConfig trial = seed == null ? point : point.with("seed", seed);
                    ResolvedConfig completed;
                    try {
                        completed = job.complete(trial);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(null, e.getMessage() + " (" + source + ", grid point "
                                + (base == null ? "" : "config " + base + (where.length() > 0 ? ", " : ""))
                                + where + ")", e);
                    }
                    if (ids.add(completed.stableHash())) {
                        configs.add(completed);
                    } else {
                        duplicates++;
                    }
                }
                int a = axisKeys.size() - 1;
                while (a >= 0 && ++index[a] == axes.get(axisKeys.get(a)).size()) {
                    index[a] = 0;
                    a--;
                }
                if (a < 0) {
                    break;
                }
            }
        }
        List<String> varying = varyingKeys(schema, configs);
        List<String> labelKeys = labelKeys(varying, axes.keySet(), configs);
        List<Trial> trials = new ArrayList<>();
        Map<String, String> byDir = new HashMap<>();
        for (ResolvedConfig c : configs) {
            TrialSpec spec = new TrialSpec(c.stableHash(), problem, c.toYaml());
            Trial trial = new Trial(spec, c, label(c, labelKeys));
            String clash = byDir.put(trial.dirName(), trial.id());
            if (clash != null) {
                throw new IllegalStateException("trial ids " + clash + " and " + trial.id() + " share a prefix");
            }
            trials.add(trial);
        }
        return new SweepSpec(text, source, problem, title, trials, varying, duplicates);
    }

    /** The spec text as given. */
    public String text() {
        return text;
    }

    /** What the spec is called in messages. */
    public String source() {
        return source;
    }

    /** The problem every trial runs. */
    public String problem() {
        return problem;
    }

    /** The title the spec gives, or {@code null}. */
    public String title() {
        return title;
    }

    /** Every trial, in grid order (configs, then the axes in spec order, seeds innermost). */
    public List<Trial> trials() {
        return trials;
    }

    /** The config keys whose values differ between trials, in schema order with {@code seed} last. */
    public List<String> varyingKeys() {
        return varyingKeys;
    }

    /** How many grid points resolved to a config that an earlier point already gave (run once). */
    public int duplicates() {
        return duplicates;
    }

    /**
     * A config value as text: reals in shortest form, {@code null} for null.
     *
     * @param value a value of a {@link ResolvedConfig}
     * @return the text
     */
    public static String format(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double d) {
            return DoubleText.format(d);
        }
        return value.toString();
    }

    static String label(ResolvedConfig config, List<String> keys) {
        StringBuilder label = new StringBuilder();
        for (String key : keys) {
            if (label.length() > 0) {
                label.append(' ');
            }
            label.append(key).append('=').append(format(config.value(key)));
        }
        return label.length() == 0 ? "seed=" + format(config.asMap().get("seed")) : label.toString();
    }

    /**
     * The varying keys a label needs: the spec's axes and the seed always, other varying keys (tuned
     * defaults that follow the setting, values from config files) only while leaving them out would
     * make two labels equal.
     */
    private static List<String> labelKeys(List<String> varying, Set<String> axes, List<ResolvedConfig> configs) {
        List<String> keys = new ArrayList<>(varying);
        for (int i = keys.size() - 1; i >= 0; i--) {
            String key = keys.get(i);
            if (axes.contains(key) || key.equals("seed")) {
                continue;
            }
            List<String> without = new ArrayList<>(keys);
            without.remove(i);
            Set<String> labels = new HashSet<>();
            boolean unique = true;
            for (ResolvedConfig c : configs) {
                unique &= labels.add(label(c, without));
            }
            if (unique) {
                keys = without;
            }
        }
        return keys;
    }

    private static List<String> varyingKeys(ConfigSchema schema, List<ResolvedConfig> configs) {
        List<String> keys = new ArrayList<>();
        boolean seedVaries = false;
        for (ConfigKey key : schema.keys()) {
            Object first = configs.isEmpty() ? null : configs.get(0).value(key.name());
            boolean varies = configs.stream().anyMatch(c -> !Objects.equals(c.value(key.name()), first));
            if (varies && key.name().equals("seed")) {
                seedVaries = true;
            } else if (varies) {
                keys.add(key.name());
            }
        }
        if (seedVaries) {
            keys.add("seed");
        }
        return keys;
    }

    /** An input file's path (a key of {@code pathKeys}) relative to {@code baseDir}; other values as they are. */
    private static Object relativeTo(Path baseDir, Set<String> pathKeys, String key, Object value) {
        return pathKeys.contains(key) && value instanceof String path ? InputFile.resolve(path, baseDir, key) : value;
    }

    private static Object check(ResolvedConfig defaults, FlatYaml.Entry e, String value, String source) {
        try {
            return defaults.with(e.key(), value).value(e.key());
        } catch (ConfigException bad) {
            throw new ConfigException(e.key(), bad.getMessage() + " (" + at(source, e) + ")", bad);
        }
    }

    private static String problem(FlatYaml.Entry entry, List<Path> bases, String source) {
        if (entry != null && !entry.list()) {
            if (entry.scalar() == null) {
                throw new ConfigException("problem", "problem: give a problem name (" + at(source, entry) + ")");
            }
            for (Path base : bases) {
                String p = ConfigSchema.peek(base, "problem").orElse(entry.scalar());
                if (!p.equals(entry.scalar())) {
                    throw new ConfigException("problem", "problem: config file " + base + " is for '" + p
                            + "', the sweep for '" + entry.scalar() + "' (" + at(source, entry) + ")");
                }
            }
            return entry.scalar();
        }
        if (entry != null) {
            throw new ConfigException("problem", "problem: a sweep runs one problem, give one name ("
                    + at(source, entry) + ")");
        }
        String found = null;
        for (Path base : bases) {
            String p = ConfigSchema.peek(base, "problem").orElseThrow(() -> new ConfigException("problem",
                    "problem: config file " + base + " does not say its problem; add problem: to the sweep spec"));
            if (found != null && !found.equals(p)) {
                throw new ConfigException("problem", "problem: the config files are for several problems ('" + found
                        + "', '" + p + "'); a sweep runs one");
            }
            found = p;
        }
        if (found == null) {
            throw new ConfigException("problem", "problem: missing, give the problem (" + ExperimentJobs.names()
                    + ") or configs: in " + source);
        }
        return found;
    }

    /** Refuses a grid of more than {@link #MAX_TRIALS} points, computing its size without overflow. */
    private static void checkGridSize(int bases, Map<String, List<Object>> axes, int seeds, String source) {
        long size = Math.max(1, bases);
        StringBuilder factors = new StringBuilder(Math.max(1, bases) + " config" + (bases > 1 ? "s" : ""));
        boolean overflow = false;
        for (Map.Entry<String, List<Object>> axis : axes.entrySet()) {
            factors.append(" × ").append(axis.getValue().size()).append(' ').append(axis.getKey());
            try {
                size = Math.multiplyExact(size, axis.getValue().size());
            } catch (ArithmeticException e) {
                overflow = true;
            }
        }
        factors.append(" × ").append(seeds).append(seeds == 1 ? " seed" : " seeds");
        try {
            size = Math.multiplyExact(size, seeds);
        } catch (ArithmeticException e) {
            overflow = true;
        }
        if (overflow || size > MAX_TRIALS) {
            throw new ConfigException(String.format(java.util.Locale.ROOT, "the grid has %s trials (%s), "
                    + "more than the %,d a sweep may hold; split it into several sweeps (%s)",
                    overflow ? "more than " + Long.MAX_VALUE : String.format(java.util.Locale.ROOT, "%,d", size),
                    factors, MAX_TRIALS, source));
        }
    }

    private static List<Long> seeds(FlatYaml.Entry e, String source) {
        if (e == null) {
            return null;
        }
        if (!e.list()) {
            String v = e.scalar() == null ? "null" : e.scalar().strip();
            if (!WHOLE.matcher(v).matches() || v.length() > 9 || Long.parseLong(v) < 1) {
                throw new ConfigException(SEEDS, SEEDS + ": expected a count ≥ 1 or a list of seeds, got "
                        + quote(v) + " (" + at(source, e) + ")");
            }
            int count = Integer.parseInt(v);
            return new java.util.AbstractList<>() { // 0 … count−1, made as read (the count may be refused)
                @Override
                public Long get(int index) {
                    return (long) Objects.checkIndex(index, count);
                }

                @Override
                public int size() {
                    return count;
                }
            };
        }
        if (e.values().isEmpty()) {
            throw new ConfigException(SEEDS, SEEDS + ": empty grid axis, give at least one seed (" + at(source, e)
                    + ")");
        }
        List<Long> seeds = new ArrayList<>();
        for (String raw : e.values()) {
            String v = raw == null ? "null" : raw.strip();
            long seed;
            try {
                if (!WHOLE.matcher(v).matches()) {
                    throw new NumberFormatException();
                }
                seed = Long.parseLong(v);
            } catch (NumberFormatException bad) {
                throw new ConfigException(SEEDS, SEEDS + ": expected whole numbers, got " + quote(v) + " ("
                        + at(source, e) + ")");
            }
            if (seeds.contains(seed)) {
                throw new ConfigException(SEEDS, SEEDS + ": " + seed + " is listed twice (" + at(source, e) + ")");
            }
            seeds.add(seed);
        }
        return seeds;
    }

    private static List<Path> configFiles(FlatYaml.Entry e, String source, Path baseDir) {
        List<Path> files = new ArrayList<>();
        if (e == null) {
            return files;
        }
        if (e.values().isEmpty()) {
            throw new ConfigException(CONFIGS, CONFIGS + ": empty grid axis, give at least one config file ("
                    + at(source, e) + ")");
        }
        for (String pattern : e.values()) {
            if (pattern == null || pattern.isBlank()) {
                throw new ConfigException(CONFIGS, CONFIGS + ": expected a path or a glob, got null ("
                        + at(source, e) + ")");
            }
            List<Path> matched = expand(baseDir, pattern.strip());
            if (matched.isEmpty()) {
                boolean glob = pattern.chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0);
                throw new ConfigException(CONFIGS, CONFIGS + ": " + (glob ? "no config file matches " : "config file ")
                        + pattern.strip() + (glob ? "" : " not found") + " (relative to " + baseDir + "; "
                        + at(source, e) + ")");
            }
            for (Path m : matched) {
                if (!files.contains(m)) {
                    files.add(m);
                }
            }
        }
        return files;
    }

    /** Regular files matching a path or glob, relative to {@code baseDir}, sorted. */
    static List<Path> expand(Path baseDir, String pattern) {
        String normalized = pattern.replace('\\', '/');
        String[] segments = normalized.split("/", -1);
        int literal = 0;
        while (literal < segments.length && segments[literal].chars().noneMatch(c -> GLOB_CHARS.indexOf(c) >= 0)) {
            literal++;
        }
        String prefix = String.join("/", java.util.Arrays.copyOfRange(segments, 0, literal));
        Path root = normalized.startsWith("/") ? Path.of(prefix.isEmpty() ? "/" : prefix)
                : (prefix.isEmpty() ? baseDir : baseDir.resolve(prefix));
        if (literal == segments.length) {
            return Files.isRegularFile(root) ? List.of(root.normalize()) : List.of();
        }
        String rest = String.join("/", java.util.Arrays.copyOfRange(segments, literal, segments.length));
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : segments.length - literal;
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root, depth)) {
            return walk.filter(Files::isRegularFile).filter(p -> matcher.matches(root.relativize(p)))
                    .map(Path::normalize).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(CONFIGS, CONFIGS + ": cannot list " + root + " (" + e.getMessage() + ")");
        }
    }

    private static String at(String source, FlatYaml.Entry e) {
        return source + ", line " + e.line();
    }

    private static String quote(String text) {
        return WHOLE.matcher(text).matches() ? text : "\"" + text + "\"";
    }
}
