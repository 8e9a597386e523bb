package io.mcpgw.server.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A configuration section that selects an extension with {@code type:}; the remaining keys are the extension's
 * own, validated when it is created.
 *
 * @param source the configuration file, for messages
 * @param path where the section sits, e.g. {@code policy[1]}
 * @param type the factory name
 * @param settings the extension's keys
 */
public record ExtensionSection(String source, String path, String type, ObjectNode settings) {

    public ExtensionSection {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        settings = settings.deepCopy();
    }

    /** The section as written, {@code type} first. */
    @JsonValue
    public ObjectNode toJson() {
        ObjectNode json = settings.objectNode().put("type", type);
        json.setAll(settings);
        return json;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExtensionSection that && path.equals(that.path) && type.equals(that.type)
                && settings.equals(that.settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, type, settings);
    }
}
