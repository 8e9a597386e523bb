package io.mcpgw.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Hides what may be secret in a definition the admin API shows: every value of an {@code env} or {@code headers}
 * map (their names stay), and any value under a key that names a secret.
 */
final class Redaction {

    static final String REDACTED = "<redacted>";

    private static final Set<String> VALUE_MAPS = Set.of("env", "headers");
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(secret|token|password|passwd|apikey|api_key|api-key|authorization"
            + "|credential|private).*");

    private Redaction() {}

    /** A redacted copy. */
    static JsonNode redact(JsonNode definition) {
        JsonNode copy = definition.deepCopy();
        walk(copy);
        return copy;
    }

    private static void walk(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(Redaction::walk);
        } else if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (VALUE_MAPS.contains(field.getKey()) && field.getValue() instanceof ObjectNode values) {
                    values.properties().forEach(entry -> entry.setValue(values.textNode(REDACTED)));
                } else if (SECRET_KEY.matcher(field.getKey()).matches() && field.getValue().isValueNode()) {
                    field.setValue(object.textNode(REDACTED));
                } else {
                    walk(field.getValue());
                }
            }
        }
    }
}
