package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.ConfigSource;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.ReloadConfig;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.lifecycle.ManagedService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * With {@code reload.watch}, reloads the configuration file when its content changes. The content is compared,
 * not timestamps or file events, so an editor's temporary files, a ConfigMap's symlink swap or a touch without a
 * change do the right thing. A change is applied once it has settled (read alike twice, an interval apart): a file
 * caught while it is written, truncated and still empty, would otherwise be a valid configuration with no backends.
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
        byte[] first = digest(file.get());
        watching = Thread.ofVirtual().name("config-watch").start(() -> watch(file.get(), first));
        LOG.info("Watching {} for changes", file.get());
    }

    private void watch(Path path, byte[] initial) {
        byte[] applied = initial;
        byte[] changed = null;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(settings.interval().toMillis());
                byte[] now = digest(path);
                if (now == null || Arrays.equals(now, applied)) {
                    changed = null;
                    continue;
                }
                if (!Arrays.equals(now, changed)) {
                    changed = now;
                    continue;
                }
                applied = now;
                changed = null;
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

    /** The content's hash; null while the file cannot be read (e.g. between a delete and a re-create). */
    private static byte[] digest(Path path) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
