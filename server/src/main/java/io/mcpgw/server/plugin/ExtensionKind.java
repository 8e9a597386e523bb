package io.mcpgw.server.plugin;

import io.mcpgw.spi.ExtensionFactory;
import io.mcpgw.spi.audit.AuditSinkFactory;
import io.mcpgw.spi.credentials.CredentialsProviderFactory;
import io.mcpgw.spi.discovery.DiscoveryProviderFactory;
import io.mcpgw.spi.identity.IdentityResolverFactory;
import io.mcpgw.spi.policy.PolicyEvaluatorFactory;
import io.mcpgw.spi.transport.BackendTransportFactory;
import java.util.Arrays;
import java.util.Optional;

/** The extension points of the SPI, by the word the configuration and the messages use for each. */
public enum ExtensionKind {
    IDENTITY("identity", IdentityResolverFactory.class),
    POLICY("policy", PolicyEvaluatorFactory.class),
    CREDENTIALS("credentials", CredentialsProviderFactory.class),
    AUDIT("audit", AuditSinkFactory.class),
    DISCOVERY("discovery", DiscoveryProviderFactory.class),
    TRANSPORT("transport", BackendTransportFactory.class);

    private final String label;
    private final Class<? extends ExtensionFactory<?>> factoryType;

    ExtensionKind(String label, Class<? extends ExtensionFactory<?>> factoryType) {
        this.label = label;
        this.factoryType = factoryType;
    }

    public String label() {
        return label;
    }

    public Class<? extends ExtensionFactory<?>> factoryType() {
        return factoryType;
    }

    /** The extension point a factory implements. */
    public static Optional<ExtensionKind> of(ExtensionFactory<?> factory) {
        return Arrays.stream(values()).filter(kind -> kind.factoryType.isInstance(factory)).findFirst();
    }
}
