package io.mcpgw.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in the configuration's string values; {@code $${} writes a
 * literal {@code ${}. Values are substituted after YAML parsing, so a variable can never inject YAML structure.
 */
final class EnvironmentSubstitution {

    private static final Pattern VARIABLE = Pattern.compile("\\$(\\$?)\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final String source;
    private final Function<String, String> environment;

    EnvironmentSubstitution(String source, Function<String, String> environment) {
        this.source = source;
        this.environment = environment;
    }

    void apply(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.properties());
            for (Map.Entry<String, JsonNode> field : fields) {
                String childPath = ConfigPaths.child(path, field.getKey());
                if (field.getValue() instanceof TextNode text) {
                    object.put(field.getKey(), substitute(text.textValue(), childPath));
                } else {
                    apply(field.getValue(), childPath);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String childPath = path + "[" + i + "]";
                if (array.get(i) instanceof TextNode text) {
                    array.set(i, TextNode.valueOf(substitute(text.textValue(), childPath)));
                } else {
                    apply(array.get(i), childPath);
                }
            }
        }
    }

    private String substitute(String value, String path) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (!matcher.group(1).isEmpty()) {
                replacement = matcher.group().substring(1);
            } else {
                String name = matcher.group(2);
                String fromEnvironment = environment.apply(name);
                if (fromEnvironment != null) {
                    replacement = fromEnvironment;
                } else if (matcher.group(3) != null) {
                    replacement = matcher.group(3);
                } else {
                    throw ConfigException.at(source, path, "environment variable " + name
                            + " is not set (write ${" + name + ":-default} to give a default)");
                }
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
