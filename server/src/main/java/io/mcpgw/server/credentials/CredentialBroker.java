package io.mcpgw.server.credentials;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.CredentialMode;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.TenantConfig;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.plugin.ConfiguredExtensions;
import io.mcpgw.spi.credentials.CredentialRequest;
import io.mcpgw.spi.credentials.Credentials;
import io.mcpgw.spi.credentials.CredentialsProvider;
import io.mcpgw.spi.identity.Identity;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Finds the credentials a backend gets for a caller: the {@code credentials:} providers in order, first answer
 * wins, cached for the credentials' own TTL. While a cached answer lasts the providers are not asked, so a store
 * that goes down is noticed only when it expires; then a {@code required} backend's calls fail, clearly.
 */
@Singleton
public final class CredentialBroker {

    /**
     * The tenant (and client) asking when the gateway itself talks to a backend to learn what it offers. No
     * configured tenant can be called this; entries for {@code tenant: "*"} match it.
     */
    public static final String GATEWAY = "mcpgw:gateway";

    private static final Logger LOG = LogManager.getLogger(CredentialBroker.class);
    private static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    /** How long "no provider has any" is remembered: short, so newly configured secrets show up soon. */
    private static final Duration NONE_TTL = Duration.ofSeconds(30);
    private static final int MAX_ENTRIES = 10_000;

    private record Answer(Optional<Credentials> credentials) {
        Duration ttl() {
            return credentials.map(found -> found.ttl().orElse(DEFAULT_TTL)).orElse(NONE_TTL);
        }
    }

    private final List<CredentialsProvider> providers;
    private final boolean providersNeverBlock;
    private final Cache<CredentialRequest, Answer> cache = Caffeine.newBuilder()
            .maximumSize(MAX_ENTRIES)
            .expireAfter(Expiry.creating((CredentialRequest request, Answer answer) -> answer.ttl()))
            .build();

    @Inject
    CredentialBroker(ConfiguredExtensions extensions, McpgwConfig config) {
        this.providers = extensions.credentialProviders();
        this.providersNeverBlock = providers.stream().allMatch(CredentialsProvider::neverBlocks);
        warnAboutMissing(config);
    }

    /** A backend that requires credentials, and a configured tenant no provider has any for: said once, at start. */
    private void warnAboutMissing(McpgwConfig config) {
        for (BackendConfig backend : config.backends()) {
            if (backend.credentials() != CredentialMode.REQUIRED) {
                continue;
            }
            for (TenantConfig tenant : config.tenants()) {
                List<Optional<String>> missing = providers.stream().map(provider -> provider.missingAtStart(backend.id(), tenant.id())).toList();
                if (missing.stream().allMatch(Optional::isPresent)) {
                    String why = providers.isEmpty() ? "no credentials provider is configured"
                            : missing.stream().map(Optional::get).collect(Collectors.joining("; "));
                    LOG.warn("Backend '{}' requires credentials, but tenant '{}' has none: its calls will fail (-32014); {}",
                            backend.id(), tenant.id(), why);
                }
            }
        }
    }

    /** Whether resolving asks nothing that could block: every provider says it never blocks. */
    public boolean resolvesAtOnce() {
        return providersNeverBlock;
    }

    /** Credentials for a client's call to {@code backend}; throws when the backend requires some and there are none. */
    public Optional<Credentials> forCall(Identity caller, BackendConfig backend) {
        return resolve(caller.tenant(), caller.client(), backend.id(), backend.credentials() == CredentialMode.REQUIRED);
    }

    /**
     * Credentials for the gateway's own connection to {@code backendId}, which discovers what it offers; none is
     * fine (a backend that cannot start without them then fails to connect, and says why).
     */
    public Optional<Credentials> forGateway(String backendId) {
        return resolve(GATEWAY, GATEWAY, backendId, false);
    }

    /** The request is built only when someone could answer it: calls to a backend nobody has secrets for cost nothing. */
    private Optional<Credentials> resolve(String tenant, String client, String backendId, boolean required) {
        if (providers.isEmpty() && !required) {
            return Optional.empty();
        }
        CredentialRequest request = new CredentialRequest(tenant, client, backendId);
        Answer cached = cache.getIfPresent(request);
        Answer answer = cached != null ? cached : ask(request, required);
        if (required && answer.credentials().isEmpty()) {
            throw new GatewayException(ErrorCode.CREDENTIALS_UNAVAILABLE, "backend '" + request.backend()
                    + "' requires credentials and no provider has any for tenant '" + request.tenant() + "'");
        }
        return answer.credentials();
    }

    private Answer ask(CredentialRequest request, boolean required) {
        for (CredentialsProvider provider : providers) {
            Optional<Credentials> found;
            try {
                found = provider.resolve(request);
            } catch (RuntimeException e) {
                LOG.warn("Credentials provider {} failed for backend '{}': {}", provider.getClass().getName(), request.backend(), e.getMessage());
                if (required) {
                    throw new GatewayException(ErrorCode.CREDENTIALS_UNAVAILABLE, "credentials for backend '" + request.backend()
                            + "' cannot be fetched now (" + e.getMessage() + ")");
                }
                return new Answer(Optional.empty());
            }
            if (found.isPresent()) {
                Answer answer = new Answer(found);
                cache.put(request, answer);
                return answer;
            }
        }
        Answer none = new Answer(Optional.empty());
        cache.put(request, none);
        return none;
    }
}
