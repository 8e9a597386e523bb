package io.mcpgw.server.config;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rejects unknown keys before binding. Jackson reports an unknown key only after the record's constructor ran,
 * so its validation ("x: required value is missing") would hide the typo that caused it.
 */
final class KnownKeys {

    /** Types bound by their own deserializers, which check their keys themselves. */
    private static final Set<Class<?>> SELF_CHECKED = Set.of(ExtensionSection.class, BackendConfig.class);

    private KnownKeys() {}

    static void check(ObjectMapper mapper, JsonNode node, JavaType type, String source, String path) {
        if (node == null || SELF_CHECKED.contains(type.getRawClass())) {
            return;
        }
        if (type.isReferenceType() || type.isCollectionLikeType() || type.isArrayType()) {
            JavaType content = type.getContentType();
            if (node.isArray() && !type.isReferenceType()) {
                for (int i = 0; i < node.size(); i++) {
                    check(mapper, node.get(i), content, source, path + "[" + i + "]");
                }
            } else if (type.isReferenceType()) {
                check(mapper, node, content, source, path);
            }
            return;
        }
        if (!node.isObject() || !type.getRawClass().isRecord()) {
            return;
        }
        BeanDescription description = mapper.getDeserializationConfig().introspect(type);
        Map<String, BeanPropertyDefinition> properties = new TreeMap<>();
        description.findProperties().forEach(property -> properties.put(property.getName(), property));
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            BeanPropertyDefinition property = properties.get(field.getKey());
            String keyPath = ConfigPaths.child(path, field.getKey());
            if (property == null) {
                throw ConfigException.at(source, keyPath, "unknown key '" + field.getKey() + "'"
                        + ConfigErrors.knownKeys(field.getKey(), properties.keySet()));
            }
            check(mapper, field.getValue(), property.getPrimaryType(), source, keyPath);
        }
    }
}
