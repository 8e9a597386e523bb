package io.mcpgw.plugins.policy.opa;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.policy.PolicyEvaluator;
import io.mcpgw.spi.policy.PolicyEvaluatorFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code policy: [{type: opa}]}: asks Open Policy Agent whether an invocation may proceed, either an OPA server
 * through its Data API ({@code url}) or an OPA-compiled Wasm policy evaluated in the gateway ({@code wasm}). The
 * result may be a boolean or an object with {@code allow} and {@code reason}; anything else, an undefined result
 * included, denies. When OPA cannot answer the invocation is denied, unless {@code failOpen}.
 */
@Extension
public final class OpaPolicyFactory implements PolicyEvaluatorFactory {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The keys of the section: {@code url} or {@code wasm}, not both.
     *
     * @param url the OPA server, e.g. {@code http://127.0.0.1:8181}
     * @param path the rule asked, e.g. {@code mcpgw/allow} ({@code POST /v1/data/mcpgw/allow}); required with {@code url}
     * @param headers sent to the server (e.g. {@code Authorization} for OPA's token authentication)
     * @param timeout how long the server may take; default 500ms
     * @param wasm a policy compiled with {@code opa build -t wasm}: the {@code .wasm} file
     * @param entrypoint the Wasm entrypoint; default the policy's first
     * @param data the {@code data} document the Wasm policy sees
     * @param failOpen allow when OPA cannot answer (default false: deny)
     * @param cacheFor how long a decision is reused for the same input; default 0 (not cached). The counters change
     *     with every call, so a cache only hits with {@code counters: false}
     * @param counters whether the input carries the session's and tenant's live counters; default true
     * @param inputAliases extra input fields copied from the gateway's, e.g. {@code user: client}, for policies written
     *     against another input shape
     */
    record Settings(String url, String path, Map<String, String> headers, Duration timeout, String wasm, String entrypoint,
            Map<String, Object> data, Boolean failOpen, Duration cacheFor, Boolean counters, Map<String, String> inputAliases) {
        Settings {
            if ((url == null) == (wasm == null)) {
                throw new IllegalArgumentException("url: give either url (an OPA server) or wasm (a compiled policy), not "
                        + (url == null ? "neither" : "both"));
            }
            if (url != null && (path == null || path.isBlank())) {
                throw new IllegalArgumentException("path: required with url, e.g. mcpgw/allow");
            }
            if (url != null && !(url.startsWith("http://") || url.startsWith("https://"))) {
                throw new IllegalArgumentException("url: an http:// or https:// URL of the OPA server is required");
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            timeout = timeout == null ? Duration.ofMillis(500) : timeout;
            data = data == null ? Map.of() : data;
            failOpen = failOpen != null && failOpen;
            cacheFor = cacheFor == null ? Duration.ZERO : cacheFor;
            counters = counters == null || counters;
            inputAliases = inputAliases == null ? Map.of() : Map.copyOf(inputAliases);
            for (Map.Entry<String, String> alias : inputAliases.entrySet()) {
                if (!OpaInput.FIELDS.contains(alias.getValue())) {
                    throw new IllegalArgumentException("inputAliases." + alias.getKey() + ": '" + alias.getValue()
                            + "' is not an input field (" + String.join(", ", OpaInput.FIELDS) + ")");
                }
            }
        }
    }

    @Override
    public String name() {
        return "opa";
    }

    @Override
    public PolicyEvaluator create(ExtensionContext context) {
        Settings settings = context.config().bind(Settings.class);
        OpaInput input = new OpaInput(settings.inputAliases(), settings.counters());
        Decider decider;
        if (settings.url() != null) {
            String base = settings.url().endsWith("/") ? settings.url().substring(0, settings.url().length() - 1) : settings.url();
            URI rule = URI.create(base + "/v1/data/" + settings.path());
            if (context.validateOnly()) {
                return invocation -> {
                    throw new IllegalStateException("an OPA policy created by mcpgw validate decides nothing");
                };
            }
            decider = new OpaServer(rule, settings.headers(), settings.timeout());
        } else {
            Path file = Path.of(settings.wasm());
            try {
                decider = new WasmPolicy(Files.readAllBytes(file), settings.entrypoint(), JSON.writeValueAsString(settings.data()));
            } catch (IOException e) {
                throw new UncheckedIOException("wasm: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return new OpaEvaluator(decider, input, settings.failOpen(), settings.cacheFor(), context.clock(), context.logger());
    }
}
