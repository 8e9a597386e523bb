package io.mcpgw.server.lifecycle;

/** A part of the gateway that starts and stops with it. */
public interface ManagedService {

    /** For logs and messages. */
    String name();

    void start() throws Exception;

    /** Stops gracefully; called once, and only after a successful {@link #start()}. */
    void stop() throws Exception;
}
