package io.mcpgw.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reload changed.
 *
 * @param by who asked: the admin API, SIGHUP, or the file watch
 * @param sessionsEnded sessions ended because what they were built on changed
 * @param restartRequired sections that differ from the running ones but are read only at start
 */
public record ReloadReport(Instant at, String by, List<String> backendsAdded, List<String> backendsRedefined,
        List<String> backendsRemoved, List<String> agentsChanged, List<String> tenantsChanged, int sessionsEnded,
        List<String> restartRequired) {

    /** As the admin API shows it. */
    public ObjectNode toJson() {
        ObjectNode json = JsonRpc.MAPPER.createObjectNode().put("at", at.toString()).put("by", by);
        put(json, "backendsAdded", backendsAdded);
        put(json, "backendsRedefined", backendsRedefined);
        put(json, "backendsRemoved", backendsRemoved);
        put(json, "agentsChanged", agentsChanged);
        put(json, "tenantsChanged", tenantsChanged);
        json.put("sessionsEnded", sessionsEnded);
        put(json, "restartRequired", restartRequired);
        return json;
    }

    private static void put(ObjectNode json, String field, List<String> names) {
        ArrayNode array = json.putArray(field);
        names.forEach(array::add);
    }

    /** One line for logs and the audit trail. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        add(parts, "backends added", backendsAdded);
        add(parts, "backends redefined", backendsRedefined);
        add(parts, "backends removed", backendsRemoved);
        add(parts, "agents changed", agentsChanged);
        add(parts, "tenants changed", tenantsChanged);
        add(parts, "restart required for", restartRequired);
        return parts.isEmpty() ? "no change" : String.join("; ", parts);
    }

    private static void add(List<String> parts, String label, List<String> names) {
        if (!names.isEmpty()) {
            parts.add(label + " " + String.join(", ", names));
        }
    }
}
