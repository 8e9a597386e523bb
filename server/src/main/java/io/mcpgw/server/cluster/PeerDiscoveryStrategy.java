package io.mcpgw.server.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.AbstractDiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.SimpleDiscoveryNode;
import io.mcpgw.spi.discovery.DiscoveryProvider;
import io.mcpgw.spi.discovery.PeerAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hazelcast's side of {@code cluster.discovery}: it asks for the peers each time it looks for members, and the
 * provider starts and stops with the member. A peer whose name does not resolve is left out until it does.
 */
final class PeerDiscoveryStrategy extends AbstractDiscoveryStrategy {

    private final DiscoveryProvider provider;

    @SuppressWarnings("rawtypes") // Hazelcast's own signature
    PeerDiscoveryStrategy(DiscoveryProvider provider, ILogger logger, Map<String, Comparable> properties) {
        super(logger, properties);
        this.provider = provider;
    }

    @Override
    public void start() {
        provider.start();
    }

    @Override
    public Iterable<DiscoveryNode> discoverNodes() {
        List<DiscoveryNode> nodes = new ArrayList<>();
        for (PeerAddress peer : provider.discoverPeers()) {
            try {
                nodes.add(new SimpleDiscoveryNode(new Address(peer.host(), peer.port())));
            } catch (UnknownHostException e) {
                getLogger().warning("Cluster peer " + peer + " does not resolve; left out for now");
            }
        }
        return nodes;
    }

    @Override
    public void destroy() {
        provider.stop();
    }
}
