package dev.claudemaxapi.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Breaks valid request bodies: at a random place in the JSON tree, a value of another type, a deleted field, a huge
 * or duplicated array, nesting far past any limit (as JSON and as text that is parsed as JSON later), a giant
 * string, odd Unicode in names, ids, roles and keys. Each generated body records the mutations that made it, so a
 * failing property reports them along with the body.
 */
final class JsonMutations {
    private JsonMutations() {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A tree as JSON bytes, nodes of raw JSON text written as they are. */
    static byte[] bytes(JsonNode tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("generated trees always serialize", e);
        }
    }

    /** A body as the client sends it, and how it was made. */
    record Body(JsonNode tree, List<String> mutations) {
        byte[] bytes() {
            return JsonMutations.bytes(tree);
        }

        /** The body as JSON, with long strings cut, for reports. */
        String json() {
            try {
                return OddText.show(JSON.writeValueAsString(tree), 4000);
            } catch (JsonProcessingException e) {
                return String.valueOf(tree);
            }
        }

        @Override
        public String toString() {
            return mutations + " " + json();
        }
    }

    /** One place in a tree: field names and array indexes from the root. */
    record Path(List<Object> steps) {
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("$");
            for (Object step : steps) {
                out.append(step instanceof Integer i ? "[" + i + "]" : "." + OddText.show((String) step, 40));
            }
            return out.toString();
        }
    }

    /** A change at one path. */
    interface Mutation {
        /** @return the new root (the same one unless the root itself was replaced) */
        JsonNode apply(JsonNode root, Path at);
    }

    /** Valid bodies, unchanged. */
    static Arbitrary<Body> unchanged(Arbitrary<ObjectNode> valid) {
        return valid.map(tree -> new Body(tree, List.of()));
    }

    /** Bodies with one to three mutations each. */
    static Arbitrary<Body> mutated(Arbitrary<ObjectNode> valid) {
        return valid.flatMap(tree -> {
            List<Path> paths = paths(tree);
            Arbitrary<Change> change = Combinators.combine(Arbitraries.of(paths), mutation()).as(Change::new);
            return change.list().ofMinSize(1).ofMaxSize(3).map(changes -> {
                JsonNode root = tree.deepCopy();
                List<String> applied = new ArrayList<>();
                for (Change c : changes) {
                    if (resolve(root, c.path()) != null) {
                        root = c.mutation().apply(root, c.path());
                        applied.add(c.toString());
                    }
                }
                return new Body(root, applied);
            });
        });
    }

    private record Change(Path path, Mutation mutation) {
        @Override
        public String toString() {
            return path + " " + mutation;
        }
    }

    /** Every path in the tree, the root included. */
    static List<Path> paths(JsonNode root) {
        List<Path> out = new ArrayList<>();
        collect(root, new ArrayList<>(), out);
        return out;
    }

    private static void collect(JsonNode node, List<Object> at, List<Path> out) {
        out.add(new Path(List.copyOf(at)));
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                at.add(field.getKey());
                collect(field.getValue(), at, out);
                at.remove(at.size() - 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                at.add(i);
                collect(node.get(i), at, out);
                at.remove(at.size() - 1);
            }
        }
    }

    private static JsonNode resolve(JsonNode root, Path path) {
        JsonNode node = root;
        for (Object step : path.steps()) {
            if (step instanceof Integer i) {
                node = node.isArray() && i < node.size() ? node.get(i) : null;
            } else {
                node = node.isObject() ? node.get((String) step) : null;
            }
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** Puts {@code value} at {@code at}; the root when the path is empty. */
    private static JsonNode replace(JsonNode root, Path at, JsonNode value) {
        if (at.steps().isEmpty()) {
            return value;
        }
        JsonNode parent = resolve(root, new Path(at.steps().subList(0, at.steps().size() - 1)));
        Object last = at.steps().get(at.steps().size() - 1);
        if (parent instanceof ObjectNode object) {
            object.set((String) last, value);
        } else if (parent instanceof ArrayNode array) {
            array.set((Integer) last, value);
        }
        return root;
    }

    // ---------------------------------------------------------------- the mutations

    static Arbitrary<Mutation> mutation() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, otherValue().map(ReplaceWith::new)),
                Tuple.of(3, Arbitraries.just(new Delete())),
                Tuple.of(3, OddText.snippet().map(OddUnicode::new)),
                Tuple.of(2, Arbitraries.integers().between(2, 5000).map(Duplicate::new)),
                Tuple.of(2, Combinators.combine(smallValue(), Arbitraries.of(1_000, 20_000, 90_000))
                        .as(HugeArray::new)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(OddText.Nesting.class), OddText.depth())
                        .as(DeepNesting::new)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(OddText.Nesting.class), OddText.depth())
                        .as(DeepNestingText::new)),
                Tuple.of(1, OddText.giant().map(Giant::new)),
                Tuple.of(1, OddText.dataUrlWithParameters().map(Giant::new)),
                Tuple.of(2, Combinators.combine(OddText.oddString(), otherValue()).as(AddField::new)),
                Tuple.of(1, OddText.snippet().map(RenameField::new)));
    }

    /** Values of every JSON type, and edge cases of each. */
    static Arbitrary<JsonNode> otherValue() {
        return Arbitraries.oneOf(smallValue(), OddText.oddString().map(NODES::textNode));
    }

    private static Arbitrary<JsonNode> smallValue() {
        return Arbitraries.of(
                NODES.nullNode(), NODES.booleanNode(true), NODES.booleanNode(false),
                NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(1), NODES.numberNode(2147483648L),
                NODES.numberNode(new BigInteger("123456789012345678901234567890")), NODES.numberNode(1.5),
                NODES.numberNode(new BigDecimal("1e309")), NODES.numberNode(new BigDecimal("-0.0")),
                NODES.textNode(""), NODES.textNode("text"), NODES.textNode("user"), NODES.textNode("image"),
                NODES.textNode("tool_use"), NODES.textNode("data:image/png;base64,"),
                NODES.arrayNode(), NODES.arrayNode().addNull(), NODES.arrayNode().add(1).add("a"),
                NODES.objectNode(), NODES.objectNode().put("type", "text"), NODES.objectNode().putNull(""),
                NODES.objectNode().put("type", "text").put("text", "x"));
    }

    record ReplaceWith(JsonNode value) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root, Path at) {
            return replace(root, at, value.deepCopy());
        }

        @Override
        public String toString() {
            return "= " + OddText.show(value.toString(), 80);
        }
    }

    record Delete() implements Mutation {
        @Override
        public JsonNode apply(JsonNode root, Path at) {
            if (at.steps().isEmpty()) {
                return NODES.objectNode();
            }
            JsonNode parent = resolve(root, new Path(at.steps().subList(0, at.steps().size() - 1)));
            Object last = at.steps().get(at.steps().size() - 1);
            if (parent instanceof ObjectNode object) {
                object.remove((String) last);
            } else if (parent instanceof ArrayNode array) {
                array.remove((Integer) last);
            }
            return root;
        }

        @Override
        public String toString() {
            return "deleted";
        }
    }

    /** Odd Unicode around or in a string (or a string of it instead of any other value). */
    record OddUnicode(String odd) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root, Path at) {
            JsonNode node = resolve(root, at);
            String value = node.isTextual() ? node.asText() : "";
            String changed = switch (Math.floorMod(odd.hashCode() + value.length(), 3)) {
                case 0 -> odd + value;
                case 1 -> value + odd;
                default -> value.substring(0, value.length() / 2) + odd + value.substring(value.length() / 2);
            };
            return replace(root, at, NODES.textNode(changed));
        }

        @Override
        public String toString() {
            return "odd unicode " + OddText.show(odd, 40);
        }
    }

    /** An array with its elements repeated until it has {@code times} as many (a non-array: {@code times} copies). */
    record Duplicate(int times) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root, Path at) {
            JsonNode node = resolve(root, at);
            ArrayNode copies = NODES.arrayNode();
            List<JsonNode> elements = new ArrayList<>();
            if (node.isArray() && !node.isEmpty()) {
                node.forEach(elements::add);
            } else {
                elements.add(node);
            }
            // stays near the body limit: larger bodies only test the limit, which giant strings do
            int budget = FuzzServer.MAX_BODY_BYTES * 2;
            int size = Math.max(1, node.toString().length());
            int n = Math.min(times, Math.max(1, budget / size));
            for (int i = 0; i < n; i++) {
                for (JsonNode element : elements) {
                    copies.add(element);
                }
            }
            return replace(root, at, copies);
        }

        @Override
        public String toString() {
            return "duplicated x" + times;
        }
    }

    record HugeArray(JsonNode element, int size) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root, Path at) {
            ArrayNode array = NODES.arrayNode(size);
            for (int i = 0; i < size; i++) {
                array.add(element);
            }
            return replace(root, at, array);
        }

        @Override
        public String toString() {
            return "array of " + size + " x " + OddText.show(element.toString(), 40);
        }
    }

    /** JSON nested {@code depth} deep, written into the body as it is. */
    record DeepNesting(OddText.Nesting kind, int depth) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root, Path at) {
            return replace(root, at, NODES.rawValueNode(new RawValue(OddText.nested(kind, depth))));
        }

        @Override
        public String toString() {
            return "nested " + kind + " " + depth + " deep";
        }
    }

    /** A string holding JSON nested {@code depth} deep, for fields that are parsed as JSON later. */
    record DeepNestingText(OddText.Nesting kind, int depth) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root, Path at) {
            return replace(root, at, NODES.textNode(OddText.nested(kind, depth)));
        }

        @Override
        public String toString() {
            return "string of " + kind + " " + depth + " deep";
        }
    }

    record Giant(String value) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root, Path at) {
            return replace(root, at, NODES.textNode(value));
        }

        @Override
        public String toString() {
            return "giant string " + OddText.show(value, 8);
        }
    }

    /** A new field, often with an odd name, in the object at the path (or its parent). */
    record AddField(String name, JsonNode value) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root, Path at) {
            JsonNode node = resolve(root, at);
            if (node instanceof ObjectNode object) {
                object.set(name, value.deepCopy());
            }
            return root;
        }

        @Override
        public String toString() {
            return "added field " + OddText.show(name, 40) + "=" + OddText.show(value.toString(), 40);
        }
    }

    /** The field at the path renamed: odd Unicode added to its name, or the name's case changed. */
    record RenameField(String odd) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root, Path at) {
            if (at.steps().isEmpty() || !(at.steps().get(at.steps().size() - 1) instanceof String name)) {
                return root;
            }
            ObjectNode parent = (ObjectNode) resolve(root, new Path(at.steps().subList(0, at.steps().size() - 1)));
            String renamed = odd.isBlank() ? name.toUpperCase(Locale.ROOT) : name + odd;
            parent.set(renamed, parent.remove(name));
            return root;
        }

        @Override
        public String toString() {
            return "renamed with " + OddText.show(odd, 20);
        }
    }
}
