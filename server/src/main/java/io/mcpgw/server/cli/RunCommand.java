package io.mcpgw.server.cli;

import io.mcpgw.server.Gateway;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.ConfigSource;
import io.mcpgw.server.config.StartupException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the gateway in the foreground until SIGTERM or SIGINT, then stops it gracefully and exits 0; SIGHUP reloads. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway in the foreground.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LogManager.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException {
        RunFiles files = new RunFiles(config.paths);
        long pid = ProcessHandle.current().pid();
        Optional<ProcessHandle> other = files.running().filter(process -> process.pid() != pid);
        if (other.isPresent()) {
            System.err.println("mcpgw: already running (pid " + other.get().pid() + ") in " + config.paths.home());
            return 1;
        }
        Gateway gateway;
        try {
            files.writePid(pid);
            gateway = Gateway.assemble(ConfigSource.file(config.file(), ConfigLoader.fromSystemEnvironment(), UnaryOperator.identity()),
                    config.paths, Clock.systemUTC()).start();
        } catch (StartupException e) {
            files.removeQuietly();
            LOG.error("mcpgw could not start: {}", e.getMessage());
            System.err.println("mcpgw: " + e.getMessage());
            return 1;
        }
        // before the state file says the gateway is up: a SIGHUP without the handler would stop the JVM
        reloadOnHangUp(gateway);
        String http = gateway.baseUri().toString();
        Optional<String> admin = gateway.adminUri().map(Object::toString);
        files.writeState(pid, http, admin, Optional.empty());
        gateway.cluster().ifPresent(directory -> {
            // members come and go on Hazelcast's event threads: one write at a time
            Runnable write = () -> {
                synchronized (files) {
                    files.writeState(pid, http, admin, Optional.of(ClusterLine.of(directory.clusterName(), directory.nodes())));
                }
            };
            directory.onChange(write);
            write.run();
        });

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping mcpgw");
            gateway.close();
            files.removeQuietly();
            LOG.info("mcpgw stopped");
            LogManager.shutdown();
            stopped.countDown();
            // A signal-triggered exit would report 128+signal; a graceful stop is a success.
            Runtime.getRuntime().halt(0);
        }, "mcpgw-shutdown"));
        stopped.await();
        return 0;
    }

    /** {@code kill -HUP} reloads the configuration file, as {@code POST /admin/reload} does. */
    private static void reloadOnHangUp(Gateway gateway) {
        boolean installed = HangUpSignal.onHangUp(() -> Thread.ofVirtual().name("reload-sighup").start(() -> {
            try {
                gateway.reload("SIGHUP");
            } catch (StartupException e) {
                LOG.debug("Reload on SIGHUP refused", e);
            }
        }));
        if (!installed) {
            LOG.warn("SIGHUP does not reach mcpgw (this JVM offers no signals, or what started it ignores SIGHUP, as nohup does);"
                    + " reload the configuration with POST /admin/reload or reload.watch");
        }
    }
}
