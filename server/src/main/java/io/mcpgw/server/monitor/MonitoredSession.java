package io.mcpgw.server.monitor;

import io.mcpgw.spi.identity.Identity;
import java.time.Duration;
import java.util.Optional;

/** A client session as the monitor reports on it: who it belongs to, its id, its agent and what it negotiated. */
public interface MonitoredSession {

    Identity principal();

    /** Empty for the session of a stateless request. */
    String id();

    /** The agent whose view the session uses, if any. */
    Optional<String> agentName();

    String protocolVersion();

    Duration age();
}
