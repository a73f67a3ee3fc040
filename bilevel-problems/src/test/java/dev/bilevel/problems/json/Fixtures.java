package dev.bilevel.problems.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Valid base problems (test resources) and helpers to break them one field at a time. */
final class Fixtures {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Fixtures() {
    }

    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/json/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /json/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String baseCmdp() {
        return resource("base-cmdp.json");
    }

    static String baseGame() {
        return resource("base-game.json");
    }

    /** The base JSON with {@code mutation} applied to its tree. */
    static String mutate(String base, Consumer<ObjectNode> mutation) {
        ObjectNode root = (ObjectNode) MAPPER.readTree(base);
        mutation.accept(root);
        return MAPPER.writeValueAsString(root);
    }

    /** The node at {@code root[field][i][j]…}. */
    static JsonNode at(ObjectNode root, String field, int... indices) {
        JsonNode node = root.get(field);
        for (int i : indices) {
            node = node.get(i);
        }
        return node;
    }

    /** The array at {@code root[field][i]…}, for {@code set}/{@code remove}. */
    static ArrayNode array(ObjectNode root, String field, int... indices) {
        return (ArrayNode) at(root, field, indices);
    }

    static ArrayNode numbers(double... values) {
        ArrayNode array = NODES.arrayNode();
        for (double v : values) {
            array.add(v);
        }
        return array;
    }
}
