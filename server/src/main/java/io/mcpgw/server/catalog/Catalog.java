package io.mcpgw.server.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.egress.BackendSnapshot;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.egress.Upstream;
import io.mcpgw.server.jsonrpc.CanonicalJson;
import io.mcpgw.server.jsonrpc.ClientText;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The aggregate of what the backends offer. Tools and prompts are named {@code <backend>__<name>}, the same
 * however many backends there are; resources keep their URIs and are routed by them. Only backends that are up
 * are shown. Lists are built once per change and cached.
 */
@Singleton
public final class Catalog implements Upstream.Events {

    public static final String SEPARATOR = "__";

    private static final Logger LOG = LogManager.getLogger(Catalog.class);

    private final BackendManager backends;
    private final Map<String, List<ObjectNode>> lists = new ConcurrentHashMap<>();
    private final Map<String, UriTemplate> templates = new ConcurrentHashMap<>();
    private final Map<String, String> viewHashes = new ConcurrentHashMap<>();

    /** The {@code _meta} key under which the gateway puts a tool's descriptor hash, and a tool list's view hash. */
    public static final String DESCRIPTOR_HASH = "io.mcpgw/descriptorHash";
    public static final String VIEW_HASH = "io.mcpgw/viewHash";

    private final ToolPins pins;
    /** The resource URIs several backends offer, as last logged, with the backends in configuration order. */
    private Map<String, List<String>> reportedConflicts = Map.of();

    @Inject
    Catalog(BackendManager backends, ToolPins pins) {
        this.backends = backends;
        this.pins = pins;
    }

    /** The items of one list as the view shows them. */
    public List<ObjectNode> list(View view, ListKind kind) {
        return lists.computeIfAbsent(view.key() + "|" + kind, key -> build(view, kind));
    }

    /**
     * The items of one list as the view shows them, in name order: the order of the modern era's {@code tools/list},
     * which a client's cache and an LLM's prompt cache can count on whatever order the backends list them in.
     */
    public List<ObjectNode> listByName(View view, ListKind kind) {
        List<ObjectNode> shown = list(view, kind);
        return lists.computeIfAbsent(view.key() + "|" + kind + "|by-name",
                key -> shown.stream().sorted(Comparator.comparing(item -> item.path("name").asText())).toList());
    }

    private List<ObjectNode> build(View view, ListKind kind) {
        boolean rename = view.namespaced() && (kind == ListKind.TOOLS || kind == ListKind.PROMPTS);
        Map<String, ObjectNode> items = new LinkedHashMap<>();
        for (Upstream backend : view.backends(backends.upstreams())) {
            if (!backend.isUp()) {
                continue;
            }
            for (ObjectNode item : backend.snapshot().items(kind)) {
                if (!view.shows(kind, backend, BackendSnapshot.keyOf(kind, item))
                        || kind == ListKind.TOOLS && pins.blocked(backend, item.path("name").asText())) {
                    continue;
                }
                ObjectNode shown = kind == ListKind.TOOLS ? sealed(item) : item;
                if (rename) {
                    ObjectNode renamed = shown == item ? item.deepCopy() : shown;
                    renamed.put("name", backend.id() + SEPARATOR + item.path("name").asText());
                    items.put(renamed.path("name").asText(), renamed);
                } else {
                    items.putIfAbsent(BackendSnapshot.keyOf(kind, item), shown);
                }
            }
        }
        return List.copyOf(items.values());
    }

    /** A copy of the tool with its descriptor hash (of the backend's own definition) under the gateway's {@code _meta} key. */
    private static ObjectNode sealed(ObjectNode tool) {
        ObjectNode copy = JsonRpc.MAPPER.createObjectNode().setAll(tool);
        ObjectNode meta = tool.get("_meta") instanceof ObjectNode own ? own.deepCopy() : JsonRpc.MAPPER.createObjectNode();
        meta.put(DESCRIPTOR_HASH, DescriptorHash.ofTool(tool));
        copy.set("_meta", meta);
        return copy;
    }

    /**
     * The hash of everything the view lets a client do: its tools' hashes and, for an agent, what it uses and its
     * limits. A client (or auditor) that keeps it notices any change.
     */
    public String viewHash(View view) {
        return viewHashes.computeIfAbsent(view.key(), key -> {
            ObjectNode sealed = JsonRpc.MAPPER.createObjectNode().put("view", key);
            view.agent().ifPresent(agent -> sealed.put("limits", agent.limits().toString()).put("sampling", agent.sampling().toString())
                    .put("policies", agent.policies()));
            ObjectNode tools = sealed.putObject("tools");
            for (ObjectNode tool : list(view, ListKind.TOOLS)) {
                tools.put(tool.path("name").asText(), tool.path("_meta").path(DESCRIPTOR_HASH).asText());
            }
            return CanonicalJson.sha256(sealed);
        });
    }

    /**
     * One of a backend's tools as an operator reviews it.
     *
     * @param pin the definition it is pinned to, when pinned
     * @param blocked whether it is held back until its changed definition is approved
     */
    public record ToolReview(ObjectNode definition, String descriptorHash, Optional<PinnedTool> pin, boolean blocked) {}

    /** The backend's tools as it last listed them, each with its hash and pin. */
    public List<ToolReview> review(Upstream backend) {
        return backend.snapshot().items(ListKind.TOOLS).stream().map(tool -> {
            String name = tool.path("name").asText();
            return new ToolReview(tool, DescriptorHash.ofTool(tool), pins.pin(backend.id(), name), pins.blocked(backend, name));
        }).toList();
    }

    /** Forgets every list and hash built, e.g. after grants changed under the same view keys. */
    public void invalidate() {
        lists.clear();
        viewHashes.clear();
    }

    /** Accepts a pinned tool's changed definition: it is shown and callable again. */
    public boolean approve(String backendId, String tool) {
        boolean approved = pins.approve(backendId, tool);
        if (approved) {
            invalidate();
        }
        return approved;
    }

    /** The backend and native name of a tool or prompt; an unknown or hidden one is {@code INVALID_PARAMS}. */
    public Target route(View view, ListKind kind, String name) {
        Optional<Target> target;
        if (view.single().isPresent()) {
            Upstream backend = view.single().get();
            target = Optional.of(new Target(backend, name));
        } else {
            int separator = name.indexOf(SEPARATOR);
            target = separator <= 0 ? Optional.empty()
                    : backends.upstream(name.substring(0, separator))
                            .map(backend -> new Target(backend, name.substring(separator + SEPARATOR.length())));
        }
        return target
                .filter(found -> found.backend().isUp() && view.shows(kind, found.backend(), found.nativeName())
                        && !(kind == ListKind.TOOLS && pins.blocked(found.backend(), found.nativeName()))
                        && found.backend().snapshot().item(kind, found.nativeName()).isPresent())
                .orElseThrow(() -> new GatewayException(ErrorCode.INVALID_PARAMS,
                        (kind == ListKind.TOOLS ? "Unknown tool: " : "Unknown prompt: ") + ClientText.excerpt(name)));
    }

    /**
     * The backend serving a resource URI the view shows: an exact resource first, then a matching template, in
     * backend order; none is {@code RESOURCE_NOT_FOUND}.
     */
    public Upstream routeResource(View view, String uri) {
        return findResource(view, uri).orElseThrow(() -> new GatewayException(ErrorCode.RESOURCE_NOT_FOUND, "Resource not found: " + uri));
    }

    /**
     * The backend a subscription to {@code uri} goes to: at a backend's own endpoint that backend, which decides
     * itself what it can be subscribed to (many take URIs they do not list); elsewhere the one serving the URI, and
     * a URI no backend of the view serves is {@code INVALID_PARAMS}.
     */
    public Upstream routeSubscription(View view, String uri) {
        if (view.single().isPresent()) {
            Upstream backend = view.single().get();
            if (!view.shows(ListKind.RESOURCES, backend, uri)) {
                throw new GatewayException(ErrorCode.INVALID_PARAMS, "Resource not found: " + uri);
            }
            return backend;
        }
        return findResource(view, uri).orElseThrow(() -> new GatewayException(ErrorCode.INVALID_PARAMS,
                "No backend offers resource " + uri + " (it is in no resources/list and matches no resource template),"
                        + " so it cannot be subscribed to here; subscribe at /servers/<id>/mcp to ask one backend directly"));
    }

    private Optional<Upstream> findResource(View view, String uri) {
        List<Upstream> candidates = backends.upstreams().stream()
                .filter(backend -> backend.isUp() && view.shows(ListKind.RESOURCES, backend, uri)).toList();
        for (Upstream backend : candidates) {
            if (backend.snapshot().item(ListKind.RESOURCES, uri).isPresent()) {
                return Optional.of(backend);
            }
        }
        for (Upstream backend : candidates) {
            for (ObjectNode template : backend.snapshot().items(ListKind.RESOURCE_TEMPLATES)) {
                String pattern = template.path("uriTemplate").asText();
                if (templates.computeIfAbsent(pattern, UriTemplate::new).matches(uri)) {
                    return Optional.of(backend);
                }
            }
        }
        return Optional.empty();
    }

    /** The backends a view shows, in configuration order. */
    public List<Upstream> backends(View view) {
        return view.backends(backends.upstreams());
    }

    /** The capabilities some backend of the view offers, as the gateway will serve them. */
    public List<String> offeredCapabilities(View view) {
        List<String> offered = new ArrayList<>();
        for (String capability : List.of("tools", "prompts", "resources", "completions", "logging")) {
            for (Upstream backend : view.backends(backends.upstreams())) {
                JsonNode capabilities = backend.snapshot().capabilities();
                if (capabilities.has(capability)) {
                    offered.add(capability);
                    break;
                }
            }
        }
        return offered;
    }

    @Override
    public void onCatalogChanged(Upstream backend, Set<ListKind> changed) {
        if (changed.contains(ListKind.TOOLS)) {
            pins.review(backend);
        }
        lists.clear();
        viewHashes.clear();
        if (changed.contains(ListKind.RESOURCES)) {
            reportAmbiguousUris();
        }
    }

    /**
     * Logs each resource URI that several backends offer, once for as long as the same backends offer it: lists
     * are discovered again on every change and reconnection, and the conflict is news only when it is new.
     */
    private synchronized void reportAmbiguousUris() {
        Map<String, List<String>> servedBy = new LinkedHashMap<>();
        for (Upstream backend : backends.upstreams()) {
            for (ObjectNode resource : backend.snapshot().items(ListKind.RESOURCES)) {
                List<String> ids = servedBy.computeIfAbsent(resource.path("uri").asText(), uri -> new ArrayList<>());
                if (!ids.contains(backend.id())) {
                    ids.add(backend.id());
                }
            }
        }
        servedBy.values().removeIf(ids -> ids.size() < 2);
        servedBy.forEach((uri, ids) -> {
            if (!ids.equals(reportedConflicts.get(uri))) {
                LOG.error("Configuration error: resource {} is offered by backends {}; reads go to '{}'. "
                        + "Give each backend its own URIs, or expose them through /servers/<id>/mcp.", uri,
                        ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", ")), ids.getFirst());
            }
        });
        reportedConflicts = servedBy;
    }
}
