package io.mcpgw.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.ExtensionSection;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.plugin.ExtensionKind;
import io.mcpgw.server.plugin.ExtensionRegistry;
import io.mcpgw.server.plugin.HostExtensionContext;
import io.mcpgw.spi.discovery.DiscoveryProvider;
import io.mcpgw.spi.discovery.PeerAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaticDiscoveryFactoryTest {

    private static DiscoveryProvider discovery(String members) throws Exception {
        ObjectNode settings = (ObjectNode) JsonRpc.MAPPER.readTree("{\"members\": " + members + "}");
        ExtensionSection section = new ExtensionSection("mcpgw.yaml", "cluster.discovery", "static", settings);
        ExtensionRegistry registry = new ExtensionRegistry(Set.of(new StaticDiscoveryFactory()), List.of(), false);
        return registry.create(ExtensionKind.DISCOVERY, section, DiscoveryProvider.class,
                factory -> new HostExtensionContext(section, factory, Clock.systemUTC(), Path.of("data"), "test"));
    }

    @Test
    void theMembersAsWrittenSortedOnceEach() throws Exception {
        assertThat(discovery("[\"10.0.0.2:5701\", \"10.0.0.1:5702\", \"[::1]:5701\", \"10.0.0.2:5701\", \"mcpgw-0.mcpgw:5701\"]").discoverPeers())
                .containsExactly(new PeerAddress("10.0.0.1", 5702), new PeerAddress("10.0.0.2", 5701), new PeerAddress("::1", 5701),
                        new PeerAddress("mcpgw-0.mcpgw", 5701));
    }

    @Test
    void aMemberThatIsNotHostAndPortIsRefusedWithItsPlace() {
        for (String bad : List.of("\"10.0.0.1\"", "\"10.0.0.1:0\"", "\"10.0.0.1:70000\"", "\"::1:5701\"", "\":5701\"")) {
            assertThatThrownBy(() -> discovery("[\"10.0.0.9:5701\", " + bad + "]")).as(bad)
                    .hasMessageContaining("members[1]: ").hasMessageContaining("is not host:port");
        }
    }
}
