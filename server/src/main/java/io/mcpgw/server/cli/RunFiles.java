package io.mcpgw.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.InstallPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * The pid file and the state file of a running gateway, under {@code var/run/} in the install directory. The
 * running process writes both and removes them when it stops; the other commands only read.
 */
final class RunFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAIN_CLASS = Main.class.getName();

    private final InstallPaths paths;

    RunFiles(InstallPaths paths) {
        this.paths = paths;
    }

    /** The running gateway of this install directory, if any; a stale pid file is removed. */
    Optional<ProcessHandle> running() {
        Path pidFile = paths.pidFile();
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process;
        try {
            process = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                    .filter(ProcessHandle::isAlive)
                    .filter(RunFiles::isGateway);
        } catch (IOException | NumberFormatException e) {
            process = Optional.empty();
        }
        if (process.isEmpty()) {
            removeQuietly();
        }
        return process;
    }

    /** The address the running gateway wrote once it listened. */
    Optional<String> httpAddress(long pid) {
        return state(pid).map(state -> state.path("http").textValue());
    }

    private Optional<JsonNode> state(long pid) {
        try {
            JsonNode state = JSON.readTree(paths.stateFile().toFile());
            return state.path("pid").asLong() == pid ? Optional.of(state) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void writePid(long pid) {
        write(paths.pidFile(), pid + "\n");
    }

    /** The cluster line the running gateway wrote (see {@link ClusterLine}); empty outside a cluster. */
    Optional<String> cluster(long pid) {
        return state(pid).map(state -> state.path("cluster").textValue());
    }

    /**
     * @param admin the admin API's address, when there is one
     * @param cluster the cluster's line for {@code status}, in a cluster
     */
    void writeState(long pid, String http, Optional<String> admin, Optional<String> cluster) {
        ObjectNode state = JSON.createObjectNode().put("pid", pid).put("http", http);
        admin.ifPresent(address -> state.put("admin", address));
        cluster.ifPresent(line -> state.put("cluster", line));
        write(paths.stateFile(), state.toString());
    }

    void removeQuietly() {
        try {
            Files.deleteIfExists(paths.stateFile());
            Files.deleteIfExists(paths.pidFile());
        } catch (IOException ignored) {
            // a later start overwrites them
        }
    }

    /** Guards against a pid the system has since given to another program. */
    private static boolean isGateway(ProcessHandle process) {
        return process.info().arguments()
                .map(arguments -> Arrays.asList(arguments).contains(MAIN_CLASS))
                .orElse(true);
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, content);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
