package io.mcpgw.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Hides what may be secret in a definition the admin API shows: every value of an {@code env} or {@code headers}
 * map (their names stay), and any text under a key one of whose words names a secret ({@code clientSecret},
 * {@code api_key}, {@code secretId}), but not a count or a mode ({@code maxTokens}, {@code credentials: required}).
 */
final class Redaction {

    static final String REDACTED = "<redacted>";

    private static final Set<String> VALUE_MAPS = Set.of("env", "headers");
    /** Words of a key (camelCase, snake_case, kebab-case) that name a secret; plurals name something else. */
    private static final Set<String> SECRET_WORDS = Set.of("secret", "token", "password", "passwd", "passphrase", "apikey",
            "authorization", "credential", "private");
    private static final Pattern WORD_BREAK = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+");

    private Redaction() {}

    /** A redacted copy. */
    static JsonNode redact(JsonNode definition) {
        JsonNode copy = definition.deepCopy();
        walk(copy);
        return copy;
    }

    private static boolean namesASecret(String key) {
        List<String> words = Arrays.stream(WORD_BREAK.split(key)).map(word -> word.toLowerCase(Locale.ROOT)).toList();
        for (int i = 0; i < words.size(); i++) {
            if (SECRET_WORDS.contains(words.get(i)) || words.get(i).equals("key") && i > 0 && words.get(i - 1).equals("api")) {
                return true;
            }
        }
        return false;
    }

    private static void walk(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(Redaction::walk);
        } else if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (VALUE_MAPS.contains(field.getKey()) && field.getValue() instanceof ObjectNode values) {
                    values.properties().forEach(entry -> entry.setValue(values.textNode(REDACTED)));
                } else if (field.getValue().isTextual() && namesASecret(field.getKey())) {
                    field.setValue(object.textNode(REDACTED));
                } else {
                    walk(field.getValue());
                }
            }
        }
    }
}
