package dev.bilevel.learn.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/library.md} from drifting from the code it shows. Every region of this package's test sources
 * between {@code // tag::NAME[]} and {@code // end::NAME[]} must appear in the document as a fenced {@code java}
 * block right after a {@code <!-- snippet: NAME -->} line, equal to the tagged lines with their common indentation
 * removed; every snippet the document quotes must be such a region.
 */
class LibraryDocTest {

    private static final Path SOURCES = Path.of("src", "test", "java", "dev", "bilevel", "learn", "library");
    private static final Path MODULE = Path.of("bilevel-learn");
    private static final Pattern TAG = Pattern.compile("^\\s*// tag::([\\w-]+)\\[]\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// end::([\\w-]+)\\[]\\s*$");
    private static final Pattern SNIPPET = Pattern.compile(
            "<!-- snippet: ([\\w-]+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

    /** The document, found from the module directory or the repository root. */
    private static String document() {
        return read(find(Path.of("docs", "library.md")));
    }

    /** {@code relative} in the working directory, or in a directory above it, or in its {@code bilevel-learn}. */
    private static Path find(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve(relative), dir.resolve(MODULE).resolve(relative))) {
                if (Files.exists(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError(relative + " not found from " + Path.of("").toAbsolutePath());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tagged regions of this package's sources, by name, dedented. */
    static Map<String, String> tagged() {
        Map<String, String> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(find(SOURCES))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                regions.putAll(tagged(read(file), file.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return regions;
    }

    /** The tagged regions of one source text. */
    static Map<String, String> tagged(String source, String where) {
        Map<String, String> regions = new LinkedHashMap<>();
        String open = null;
        List<String> lines = new ArrayList<>();
        for (String line : source.split("\n", -1)) {
            Matcher tag = TAG.matcher(line);
            Matcher end = END.matcher(line);
            if (tag.matches()) {
                assertThat(open).as("%s: tag %s opens inside %s", where, tag.group(1), open).isNull();
                open = tag.group(1);
                lines.clear();
            } else if (end.matches()) {
                assertThat(end.group(1)).as("%s: end of a region that is not open", where).isEqualTo(open);
                assertThat(regions).as("%s: tag %s used twice", where, open).doesNotContainKey(open);
                regions.put(open, dedent(lines));
                open = null;
            } else if (open != null) {
                lines.add(line);
            }
        }
        assertThat(open).as("%s: region left open", where).isNull();
        return regions;
    }

    private static String dedent(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.isBlank() ? "" : line.substring(indent));
        }
        return String.join("\n", out);
    }

    /** The snippets a document quotes, by name. */
    static Map<String, String> quoted(String document) {
        Map<String, String> snippets = new LinkedHashMap<>();
        Matcher m = SNIPPET.matcher(document);
        while (m.find()) {
            assertThat(snippets).as("snippet %s quoted twice", m.group(1)).doesNotContainKey(m.group(1));
            snippets.put(m.group(1), m.group(2));
        }
        return snippets;
    }

    /** The names whose quoted code differs from the tagged code, or that are quoted but not tagged. */
    static List<String> drifted(Map<String, String> tagged, Map<String, String> quoted) {
        List<String> out = new ArrayList<>();
        quoted.forEach((name, code) -> {
            if (!code.equals(tagged.get(name))) {
                out.add(name);
            }
        });
        return out;
    }

    @Test
    void everyQuotedSnippetIsTheTaggedCode() {
        Map<String, String> tagged = tagged();
        Map<String, String> quoted = quoted(document());
        assertThat(quoted).as("docs/library.md quotes snippets").isNotEmpty();
        for (String name : drifted(tagged, quoted)) {
            assertThat(quoted.get(name)).as("docs/library.md, snippet %s: copy it again from the test sources",
                    name).isEqualTo(tagged.get(name));
        }
    }

    @Test
    void everyTaggedRegionIsQuoted() {
        assertThat(quoted(document()).keySet()).as("snippets in docs/library.md")
                .containsAll(tagged().keySet());
    }

    /** The check has power: a one-character edit of a quoted snippet, or a snippet with no region, is caught. */
    @Test
    void anEditedOrUnknownSnippetIsCaught() {
        Map<String, String> tagged = tagged(String.join("\n", "class A {", "    // tag::a[]", "    int x = 1;", "",
                "        int y = 2;", "    // end::a[]", "}"), "A.java");
        assertThat(tagged).containsEntry("a", "int x = 1;\n\n    int y = 2;");
        String good = "text\n<!-- snippet: a -->\n```java\nint x = 1;\n\n    int y = 2;\n```\nmore\n";
        assertThat(drifted(tagged, quoted(good))).isEmpty();
        assertThat(drifted(tagged, quoted(good.replace("x = 1", "x = 2")))).containsExactly("a");
        assertThat(drifted(tagged, quoted(good.replace("snippet: a", "snippet: b")))).containsExactly("b");
    }
}
