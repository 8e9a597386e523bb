package io.mcpgw.plugins.discovery.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.ExtensionSection;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.plugin.ExtensionKind;
import io.mcpgw.server.plugin.HostExtensionContext;
import io.mcpgw.server.plugin.RegisteredFactory;
import io.mcpgw.server.plugin.ValidateOnlyContext;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.discovery.DiscoveryProvider;
import io.mcpgw.spi.discovery.PeerAddress;
import io.mcpgw.testkit.TestingClock;
import io.mcpgw.testkit.TestingDnsServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SRVRecord;

/** Peers found through a real DNS server on 127.0.0.1 speaking the wire format, with a clock the test moves. */
class DnsDiscoveryIT {

    @TempDir
    Path data;

    private TestingDnsServer dns;
    private final TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void startDns() throws Exception {
        dns = new TestingDnsServer();
    }

    @AfterEach
    void stopDns() throws Exception {
        dns.close();
    }

    private DiscoveryProvider provider(ObjectNode settings) {
        DnsDiscoveryFactory factory = new DnsDiscoveryFactory();
        settings.put("resolver", dns.address()).put("refresh", "10s").put("timeout", "300ms");
        ExtensionSection section = new ExtensionSection("test", "discovery", factory.name(), settings);
        return factory.create(new HostExtensionContext(section, new RegisteredFactory(ExtensionKind.DISCOVERY, factory, "test"), clock,
                data, "test"));
    }

    private DiscoveryProvider created(ObjectNode settings, boolean validateOnly) {
        DnsDiscoveryFactory factory = new DnsDiscoveryFactory();
        ExtensionSection section = new ExtensionSection("test", "discovery", factory.name(), settings);
        ExtensionContext context = new HostExtensionContext(section, new RegisteredFactory(ExtensionKind.DISCOVERY, factory, "test"),
                clock, data, "test");
        return factory.create(validateOnly ? new ValidateOnlyContext(context) : context);
    }

    @Test
    void validateChecksTheResolverAddressWithoutResolvingItAndAsksNothing() {
        ObjectNode unresolvable = JsonRpc.MAPPER.createObjectNode().put("srv", "gateways.test").put("resolver", "dns.invalid:5353");
        assertThat(created(unresolvable, true)).as("a host name that does not resolve is not looked up").isNotNull();
        assertThatThrownBy(() -> created(JsonRpc.MAPPER.createObjectNode().put("srv", "gateways.test").put("resolver", "dns:99999"), true))
                .hasMessage("resolver: 'dns:99999' is not host or host:port (port 1 to 65535)");
        assertThat(dns.questions()).isZero();
    }

    private static Name name(String text) throws Exception {
        return Name.fromString(text);
    }

    private static SRVRecord srv(String owner, int port, String target) throws Exception {
        return new SRVRecord(name(owner), DClass.IN, 30, 10, 5, port, name(target));
    }

    @Test
    void srvRecordsAreThePeersSortedAndDeduplicatedAndRefreshedOnlyAfterTheInterval() throws Exception {
        String owner = "_mcpgw._tcp.gateways.test.";
        dns.set(name(owner), List.of(srv(owner, 7000, "node-b.gateways.test."), srv(owner, 7000, "node-a.gateways.test."),
                srv(owner, 7001, "node-a.gateways.test."), srv(owner, 7000, "node-b.gateways.test.")));
        DiscoveryProvider discovery = provider(JsonRpc.MAPPER.createObjectNode().put("srv", "gateways.test"));
        discovery.start();

        assertThat(discovery.discoverPeers()).containsExactly(new PeerAddress("node-a.gateways.test", 7000),
                new PeerAddress("node-a.gateways.test", 7001), new PeerAddress("node-b.gateways.test", 7000));
        int asked = dns.questions();

        dns.set(name(owner), List.of(srv(owner, 7000, "node-c.gateways.test.")));
        assertThat(discovery.discoverPeers()).as("within the refresh interval the answer is reused").hasSize(3);
        assertThat(dns.questions()).isEqualTo(asked);
        clock.move(Duration.ofSeconds(11));
        assertThat(discovery.discoverPeers()).containsExactly(new PeerAddress("node-c.gateways.test", 7000));
        discovery.stop();
    }

    @Test
    void theAddressesOfAHeadlessServiceNameWithAFixedPortArePeers() throws Exception {
        Name service = name("mcpgw.cluster.test.");
        dns.set(service, List.of(new ARecord(service, DClass.IN, 30, InetAddress.getByName("10.0.0.12")),
                new ARecord(service, DClass.IN, 30, InetAddress.getByName("10.0.0.3")),
                new AAAARecord(service, DClass.IN, 30, InetAddress.getByName("fd00::7"))));
        DiscoveryProvider discovery = provider(JsonRpc.MAPPER.createObjectNode().put("name", "mcpgw.cluster.test").put("port", 7800));

        assertThat(discovery.discoverPeers()).containsExactly(new PeerAddress("10.0.0.12", 7800), new PeerAddress("10.0.0.3", 7800),
                new PeerAddress("fd00:0:0:0:0:0:0:7", 7800));
    }

    @Test
    void aFailedLookupKeepsTheLastGoodAnswerAndAnEmptyZoneIsAnAnswer() throws Exception {
        Name service = name("mcpgw.cluster.test.");
        dns.set(service, List.of(new ARecord(service, DClass.IN, 30, InetAddress.getByName("10.0.0.1"))));
        DiscoveryProvider discovery = provider(JsonRpc.MAPPER.createObjectNode().put("name", "mcpgw.cluster.test").put("port", 7800));
        List<PeerAddress> good = discovery.discoverPeers();
        assertThat(good).containsExactly(new PeerAddress("10.0.0.1", 7800));

        dns.mode(TestingDnsServer.Mode.SERVFAIL);
        clock.move(Duration.ofSeconds(11));
        assertThat(discovery.discoverPeers()).as("SERVFAIL").isEqualTo(good);

        dns.mode(TestingDnsServer.Mode.SILENT);
        clock.move(Duration.ofSeconds(11));
        assertThat(discovery.discoverPeers()).as("no answer at all").isEqualTo(good);

        dns.mode(TestingDnsServer.Mode.ANSWER);
        dns.set(service, List.of());
        clock.move(Duration.ofSeconds(11));
        assertThat(discovery.discoverPeers()).as("the name has no addresses now: no peers").isEmpty();
    }

    @Test
    void aSectionWithNeitherOrBothIsRefused() {
        assertThatThrownBy(() -> provider(JsonRpc.MAPPER.createObjectNode())).hasMessageContaining("srv: give either srv");
        assertThatThrownBy(() -> provider(JsonRpc.MAPPER.createObjectNode().put("name", "x.test"))).hasMessageContaining("port: required with name");
    }
}
