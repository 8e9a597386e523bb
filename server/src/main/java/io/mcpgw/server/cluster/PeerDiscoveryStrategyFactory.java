package io.mcpgw.server.cluster;

import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryStrategyFactory;
import io.mcpgw.spi.discovery.DiscoveryProvider;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Hands Hazelcast the peers of the gateway's {@link DiscoveryProvider} ({@code cluster.discovery}). */
final class PeerDiscoveryStrategyFactory implements DiscoveryStrategyFactory {

    private final DiscoveryProvider provider;

    PeerDiscoveryStrategyFactory(DiscoveryProvider provider) {
        this.provider = provider;
    }

    @Override
    public Class<? extends DiscoveryStrategy> getDiscoveryStrategyType() {
        return PeerDiscoveryStrategy.class;
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast's own signature
    public DiscoveryStrategy newDiscoveryStrategy(DiscoveryNode self, ILogger logger, Map<String, Comparable> properties) {
        return new PeerDiscoveryStrategy(provider, logger, properties);
    }

    @Override
    public Collection<PropertyDefinition> getConfigurationProperties() {
        return List.of();
    }
}
