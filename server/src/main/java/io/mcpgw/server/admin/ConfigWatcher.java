package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.ConfigSource;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.ReloadConfig;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.io.SettledChange;
import io.mcpgw.server.lifecycle.ManagedService;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * With {@code reload.watch}, reloads the configuration file when its content changes, once the change has settled
 * ({@link SettledChange}): a file caught while it is written, truncated and still empty, would otherwise be a valid
 * configuration with no backends.
 */
@Singleton
public final class ConfigWatcher implements ManagedService {

    private static final Logger LOG = LogManager.getLogger(ConfigWatcher.class);

    private final ReloadConfig settings;
    private final Optional<Path> file;
    private final Operator operator;
    private volatile Thread watching;

    @Inject
    ConfigWatcher(McpgwConfig config, ConfigSource source, Operator operator) {
        this.settings = config.reload();
        this.file = source.file();
        this.operator = operator;
    }

    @Override
    public String name() {
        return "configuration watch";
    }

    @Override
    public void start() {
        if (!settings.watch() || file.isEmpty()) {
            return;
        }
        SettledChange change = new SettledChange(List.of(file.get()));
        watching = Thread.ofVirtual().name("config-watch").start(() -> watch(change));
        LOG.info("Watching {} for changes", file.get());
    }

    private void watch(SettledChange change) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(settings.interval().toMillis());
                if (!change.check()) {
                    continue;
                }
                try {
                    operator.reload("file watch");
                } catch (StartupException e) {
                    LOG.debug("Reload on change refused; waiting for the next change", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() throws InterruptedException {
        Thread thread = watching;
        if (thread != null) {
            thread.interrupt();
            thread.join();
        }
    }
}
