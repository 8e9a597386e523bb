package io.mcpgw.server.config;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.ArrayDeque;
import java.util.Deque;

/** Key paths as operators read them: {@code backends[2].circuit.openDuration}. */
final class ConfigPaths {

    private ConfigPaths() {}

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String of(String base, JsonMappingException exception) {
        String path = base;
        for (JsonMappingException.Reference reference : exception.getPath()) {
            if (reference.getFieldName() != null) {
                path = child(path, reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path = path + "[" + reference.getIndex() + "]";
            }
        }
        return path;
    }

    /** The path of the value a parser stands at, below {@code base}. */
    static String of(String base, JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                parts.push("[" + Math.max(at.getCurrentIndex(), 0) + "]");
            } else if (at.getCurrentName() != null) {
                parts.push("." + at.getCurrentName());
            }
        }
        String path = base;
        for (String part : parts) {
            path = part.startsWith("[") ? path + part : child(path, part.substring(1));
        }
        return path;
    }
}
