package io.mcpgw.spi.discovery;

import java.util.List;

/** Finds the other gateway nodes of a cluster. */
public interface DiscoveryProvider {

    /** Called once before the first {@link #discoverPeers()}. */
    default void start() {}

    /**
     * The peers known now, de-duplicated and sorted. Called repeatedly; on a failed lookup, return the last good
     * answer rather than an empty list.
     */
    List<PeerAddress> discoverPeers();

    /** Called once at shutdown. */
    default void stop() {}
}
