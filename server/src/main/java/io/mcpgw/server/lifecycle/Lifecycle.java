package io.mcpgw.server.lifecycle;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.StartupException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Starts the managed services in the order their modules bind them and stops them in reverse. If one fails to
 * start, those already started are stopped before the failure is reported.
 */
@Singleton
public final class Lifecycle {

    private static final Logger LOG = LogManager.getLogger(Lifecycle.class);

    private final List<ManagedService> services;
    private final Deque<ManagedService> started = new ArrayDeque<>();

    @Inject
    Lifecycle(Set<ManagedService> services) {
        this.services = List.copyOf(services);
    }

    public synchronized void start() {
        for (ManagedService service : services) {
            try {
                service.start();
                started.push(service);
                LOG.debug("Started {}", service.name());
            } catch (Exception e) {
                stop();
                if (e instanceof StartupException startup) {
                    throw startup;
                }
                throw new StartupException(service.name() + " failed to start: " + e.getMessage(), e);
            }
        }
    }

    /** Stops what was started, newest first; one failure does not keep the others running. */
    public synchronized void stop() {
        while (!started.isEmpty()) {
            ManagedService service = started.pop();
            try {
                service.stop();
                LOG.debug("Stopped {}", service.name());
            } catch (Exception e) {
                LOG.warn("Stopping {} failed", service.name(), e);
            }
        }
    }
}
