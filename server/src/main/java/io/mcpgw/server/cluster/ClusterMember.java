package io.mcpgw.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.ClusterConfig;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.lifecycle.ManagedService;
import io.mcpgw.server.plugin.ConfiguredExtensions;
import java.net.InetSocketAddress;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * This gateway's member of the cluster: an embedded Hazelcast member on {@code cluster.host} only, joining the
 * members of {@code cluster.name} that {@code cluster.discovery} finds (no multicast, no other way in). It starts
 * before the backends and the listeners and stops after them.
 */
@Singleton
public final class ClusterMember implements ManagedService {

    private static final Logger LOG = LogManager.getLogger(ClusterMember.class);
    private static final String LOGGING_TYPE = "hazelcast.logging.type";

    private final ClusterConfig config;
    private final ConfiguredExtensions extensions;
    private final ClusterSeal seal;
    private volatile HazelcastInstance instance;

    @Inject
    ClusterMember(McpgwConfig config, ConfiguredExtensions extensions) {
        this.config = config.cluster().orElseThrow(() -> new IllegalStateException("no cluster: section"));
        this.extensions = extensions;
        this.seal = new ClusterSeal(this.config.key());
    }

    @Override
    public String name() {
        return "cluster member";
    }

    @Override
    public void start() {
        // what Hazelcast logs before it reads its configuration goes to the gateway's log too (bin/mcpgw sets it)
        if (System.getProperty(LOGGING_TYPE) == null) {
            System.setProperty(LOGGING_TYPE, "log4j2");
        }
        instance = Hazelcast.newHazelcastInstance(hazelcastConfig());
        LOG.info("Cluster '{}': member {} at {}, {} members", config.name(), id(), address(),
                instance.getCluster().getMembers().size());
    }

    private Config hazelcastConfig() {
        Config hazelcast = new Config();
        hazelcast.setClusterName(config.name());
        hazelcast.setInstanceName("mcpgw-" + UUID.randomUUID());
        hazelcast.setProperty(LOGGING_TYPE, "log4j2");
        hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
        hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
        hazelcast.setProperty("hazelcast.socket.bind.any", "false");
        hazelcast.setProperty("hazelcast.discovery.enabled", "true");
        // a member with nobody to join waits this long before it forms a cluster of its own
        hazelcast.setProperty("hazelcast.wait.seconds.before.join", "1");
        NetworkConfig network = hazelcast.getNetworkConfig();
        network.setPort(config.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(config.host());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        extensions.discovery().ifPresent(provider -> join.getDiscoveryConfig()
                .addDiscoveryStrategyConfig(new DiscoveryStrategyConfig(new PeerDiscoveryStrategyFactory(provider))));
        return hazelcast;
    }

    /** The running member; only between start and stop. */
    HazelcastInstance instance() {
        HazelcastInstance running = instance;
        if (running == null) {
            throw new IllegalStateException("the cluster member is not running");
        }
        return running;
    }

    ClusterSeal seal() {
        return seal;
    }

    ClusterConfig config() {
        return config;
    }

    /** This member's id in the cluster. */
    public UUID id() {
        return instance().getCluster().getLocalMember().getUuid();
    }

    /** Where this member listens for the others. */
    public InetSocketAddress address() {
        return instance().getCluster().getLocalMember().getSocketAddress();
    }

    @Override
    public void stop() {
        HazelcastInstance running = instance;
        if (running != null) {
            running.shutdown();
            instance = null;
        }
    }
}
