package io.mcpgw.plugins.discovery.dns;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.discovery.DiscoveryProvider;
import io.mcpgw.spi.discovery.DiscoveryProviderFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.pf4j.Extension;
import org.xbill.DNS.SimpleResolver;

/**
 * {@code discovery: {type: dns}}: the gateway's peers from DNS, either the SRV records of
 * {@code _mcpgw._tcp.<srv>} or the A and AAAA records of {@code name} with a fixed {@code port} (a Kubernetes
 * headless service). Looked up at most once per {@code refresh}; a failed lookup keeps the last good answer.
 */
@Extension
public final class DnsDiscoveryFactory implements DiscoveryProviderFactory {

    /**
     * The keys of the section: {@code srv}, or {@code name} and {@code port}.
     *
     * @param srv a domain ({@code _mcpgw._tcp.} is put in front) or a whole SRV name starting with {@code _}
     * @param name a host name whose addresses are the peers
     * @param port the peers' port, with {@code name}
     * @param resolver {@code host} or {@code host:port} of the DNS server to ask; default the system's
     * @param refresh the longest an answer is reused; default 10s
     * @param timeout how long one lookup may take; default 2s
     */
    record Settings(String srv, String name, Integer port, String resolver, Duration refresh, Duration timeout) {
        Settings {
            if ((srv == null) == (name == null)) {
                throw new IllegalArgumentException("srv: give either srv (a domain with _mcpgw._tcp SRV records) or name and port, not "
                        + (srv == null ? "neither" : "both"));
            }
            if (name != null && (port == null || port < 1 || port > 65535)) {
                throw new IllegalArgumentException("port: required with name, 1 to 65535");
            }
            refresh = refresh == null ? Duration.ofSeconds(10) : refresh;
            timeout = timeout == null ? Duration.ofSeconds(2) : timeout;
        }

        String srvName() {
            String domain = srv.endsWith(".") ? srv : srv + ".";
            return domain.startsWith("_") ? domain : "_mcpgw._tcp." + domain;
        }
    }

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public DiscoveryProvider create(ExtensionContext context) {
        Settings settings = context.config().bind(Settings.class);
        if (context.validateOnly()) {
            if (settings.resolver() != null) {
                unresolved(settings.resolver());
            }
            return () -> {
                throw new IllegalStateException("a DNS discovery created by mcpgw validate looks nothing up");
            };
        }
        SimpleResolver resolver;
        try {
            if (settings.resolver() == null) {
                resolver = new SimpleResolver();
            } else {
                InetSocketAddress address = unresolved(settings.resolver());
                resolver = new SimpleResolver(new InetSocketAddress(address.getHostString(), address.getPort()));
            }
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("resolver: unknown host " + e.getMessage(), e);
        }
        resolver.setTimeout(settings.timeout());
        DnsLookup lookup = settings.srv() != null ? DnsLookup.srv(resolver, settings.srvName())
                : DnsLookup.addresses(resolver, settings.name(), settings.port());
        return new DnsDiscovery(lookup, settings.refresh(), context.clock(), context.logger());
    }

    /** {@code host} or {@code host:port}, checked but not resolved yet. */
    private static InetSocketAddress unresolved(String resolver) {
        int colon = resolver.lastIndexOf(':');
        try {
            if (colon > 0 && resolver.indexOf(':') == colon) {
                return InetSocketAddress.createUnresolved(resolver.substring(0, colon), Integer.parseInt(resolver.substring(colon + 1)));
            }
            return InetSocketAddress.createUnresolved(resolver, SimpleResolver.DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resolver: '" + resolver + "' is not host or host:port (port 1 to 65535)", e);
        }
    }
}
