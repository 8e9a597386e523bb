package io.mcpgw.server.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.Globs;
import io.mcpgw.server.egress.BackendSnapshot;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.egress.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one set of rules lets a view show. A rule is a list of globs ({@code *} any run of characters), or absent:
 * an absent rule allows all, an empty one nothing. An item is shown when its backend passes {@code backends} and
 * either that backend is one shown {@code whole} or the item passes the rule of its kind: tools and prompts by
 * namespaced name ({@code <backend>__<name>}, whatever the view calls them), resources by URI, resource templates by
 * their template. A {@code denyTools} match hides a tool whatever allows it.
 *
 * @param key names the rules in cache keys, e.g. {@code tenant:acme}
 * @param named the backends the tool and prompt patterns name (the part before {@code __}), whose items some
 *     pattern may match
 */
public record Grants(String key, Optional<List<Pattern>> backends, List<Pattern> whole, List<Pattern> named,
        Optional<List<Pattern>> tools, List<Pattern> denyTools, Optional<List<Pattern>> prompts, Optional<List<Pattern>> resources) {

    public Grants {
        backends = backends.map(List::copyOf);
        whole = List.copyOf(whole);
        named = List.copyOf(named);
        tools = tools.map(List::copyOf);
        denyTools = List.copyOf(denyTools);
        prompts = prompts.map(List::copyOf);
        resources = resources.map(List::copyOf);
    }

    /**
     * A tenant's grants: backend id patterns and tool allow patterns, each absent (all) or a list ({@code []}:
     * none), then tool deny patterns. Prompts and resources follow the backends.
     */
    public static Grants of(String key, Optional<List<String>> backends, Optional<List<String>> allowTools, List<String> denyTools) {
        return new Grants(key, backends.map(Globs::compile), List.of(), List.of(), allowTools.map(Globs::compile), Globs.compile(denyTools),
                Optional.empty(), Optional.empty());
    }

    /**
     * An agent's grants from its {@code uses}: exactly what the entries name. An entry with a {@code :} before any
     * {@code __} is a resource URI glob (it also matches templates, by their text); one with {@code __} a pattern
     * over namespaced tool and prompt names; any other names backends whose tools, prompts and resources all come.
     */
    public static Grants uses(String key, List<String> uses) {
        List<String> whole = new ArrayList<>();
        List<String> named = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (String use : uses) {
            int colon = use.indexOf(':');
            int separator = use.indexOf(Catalog.SEPARATOR);
            if (colon >= 0 && (separator < 0 || colon < separator)) {
                uris.add(use);
            } else if (separator >= 0) {
                named.add(use);
            } else {
                whole.add(use);
            }
        }
        List<String> namedBackends = named.stream().map(pattern -> pattern.substring(0, pattern.indexOf(Catalog.SEPARATOR))).toList();
        return new Grants(key, Optional.empty(), Globs.compile(whole), Globs.compile(namedBackends), Optional.of(Globs.compile(named)),
                List.of(), Optional.of(Globs.compile(named)), Optional.of(Globs.compile(uris)));
    }

    /** Whether these grants hide anything: some rule is a list (a tenant's without any shows everything). */
    public boolean narrows() {
        return backends.isPresent() || !whole.isEmpty() || tools.isPresent() || !denyTools.isEmpty() || prompts.isPresent()
                || resources.isPresent();
    }

    /**
     * Whether the item of {@code kind} that backend {@code backendId} knows by {@code key} (its native name, URI or
     * URI template, as {@link BackendSnapshot#keyOf} gives it) is shown.
     */
    public boolean allows(ListKind kind, String backendId, String key) {
        if (!allows(backends, backendId)) {
            return false;
        }
        if (kind == ListKind.TOOLS && !denyTools.isEmpty() && Globs.matchesAny(denyTools, backendId + Catalog.SEPARATOR + key)) {
            return false;
        }
        return Globs.matchesAny(whole, backendId) || switch (kind) {
            case TOOLS -> allows(tools, backendId + Catalog.SEPARATOR + key);
            case PROMPTS -> allows(prompts, backendId + Catalog.SEPARATOR + key);
            case RESOURCES, RESOURCE_TEMPLATES -> allows(resources, key);
        };
    }

    /**
     * Whether anything of {@code backend} may be shown: it passes {@code backends}, and it is shown whole, a rule of
     * some kind allows all, a tool or prompt pattern names it, or a resource or template it offers now matches a
     * URI glob (resources carry no backend in their names, so only what the backend lists can tell).
     */
    public boolean reaches(Upstream backend) {
        if (!allows(backends, backend.id())) {
            return false;
        }
        if (Globs.matchesAny(whole, backend.id()) || Globs.matchesAny(named, backend.id()) || tools.isEmpty()
                || prompts.isEmpty() || resources.isEmpty()) {
            return true;
        }
        BackendSnapshot snapshot = backend.snapshot();
        for (ListKind kind : List.of(ListKind.RESOURCES, ListKind.RESOURCE_TEMPLATES)) {
            for (ObjectNode item : snapshot.items(kind)) {
                if (allows(resources, BackendSnapshot.keyOf(kind, item))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean allows(Optional<List<Pattern>> rule, String text) {
        return rule.isEmpty() || Globs.matchesAny(rule.get(), text);
    }
}
