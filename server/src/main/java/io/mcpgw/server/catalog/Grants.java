package io.mcpgw.server.catalog;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What one set of rules lets a view show: backends by id, tools by namespaced name ({@code <backend>__<tool>},
 * whatever the view calls them). Patterns are globs ({@code *} any run of characters). An empty backend or allow
 * list allows all; a deny match hides a tool even when an allow pattern matches it.
 *
 * @param key names the rules in cache keys, e.g. {@code tenant:acme}
 */
public record Grants(String key, List<Pattern> backends, List<Pattern> allowTools, List<Pattern> denyTools) {

    public Grants {
        backends = List.copyOf(backends);
        allowTools = List.copyOf(allowTools);
        denyTools = List.copyOf(denyTools);
    }

    public static Grants of(String key, List<String> backends, List<String> allowTools, List<String> denyTools) {
        return new Grants(key, Globs.compile(backends), Globs.compile(allowTools), Globs.compile(denyTools));
    }

    public boolean allowsBackend(String backendId) {
        return backends.isEmpty() || Globs.matchesAny(backends, backendId);
    }

    public boolean allowsTool(String backendId, String nativeName) {
        if (allowTools.isEmpty() && denyTools.isEmpty()) {
            return true;
        }
        String namespaced = backendId + Catalog.SEPARATOR + nativeName;
        return (allowTools.isEmpty() || Globs.matchesAny(allowTools, namespaced)) && !Globs.matchesAny(denyTools, namespaced);
    }
}
