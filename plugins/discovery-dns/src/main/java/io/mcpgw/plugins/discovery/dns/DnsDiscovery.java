package io.mcpgw.plugins.discovery.dns;

import io.mcpgw.spi.discovery.DiscoveryProvider;
import io.mcpgw.spi.discovery.PeerAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The peers from the last good lookup, looked up again once {@code refresh} has passed. */
final class DnsDiscovery implements DiscoveryProvider {

    private final DnsLookup lookup;
    private final Duration refresh;
    private final Clock clock;
    private final System.Logger logger;
    private List<PeerAddress> peers = List.of();
    private Instant next = Instant.MIN;

    DnsDiscovery(DnsLookup lookup, Duration refresh, Clock clock, System.Logger logger) {
        this.lookup = lookup;
        this.refresh = refresh;
        this.clock = clock;
        this.logger = logger;
    }

    @Override
    public synchronized List<PeerAddress> discoverPeers() {
        Instant now = clock.instant();
        if (now.isBefore(next)) {
            return peers;
        }
        next = now.plus(refresh);
        try {
            List<PeerAddress> found = List.copyOf(lookup.peers());
            if (!found.equals(peers)) {
                logger.log(System.Logger.Level.INFO, "Peers by {0}: {1}", lookup.describe(), found);
            }
            peers = found;
        } catch (DnsLookup.DnsUnavailableException e) {
            logger.log(System.Logger.Level.WARNING, "DNS lookup failed ({0}); keeping the {1} peers found before", e.getMessage(), peers.size());
        }
        return peers;
    }
}
