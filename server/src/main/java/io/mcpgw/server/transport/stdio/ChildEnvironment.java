package io.mcpgw.server.transport.stdio;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a backend process starts with: a minimal base taken from the gateway's own, then the
 * backend's configured variables, then its credentials. Nothing else of the gateway's environment (tokens,
 * cloud keys, the admin token) ever reaches a child.
 */
public final class ChildEnvironment {

    /** Variables a well-behaved program expects; none of them carries a secret. */
    public static final List<String> BASE = List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR");

    private ChildEnvironment() {}

    public static Map<String, String> build(
            Map<String, String> gateway, Map<String, String> configured, Map<String, String> credentials) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String name : BASE) {
            String value = gateway.get(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        environment.putAll(configured);
        environment.putAll(credentials);
        return environment;
    }
}
