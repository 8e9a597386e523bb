package io.mcpgw.server.transport.stdio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The stdio children running, one file each (named by the child's pid) in a directory under the data directory,
 * so that the children of a gateway that could not end them (killed with SIGKILL, crashed) are ended at the next
 * start instead of running on. A record names its gateway and both start times: a start ends only a child whose
 * gateway is gone and that is still the process it started (a reused pid is left alone).
 */
final class ChildRecords {

    private static final Logger LOG = LogManager.getLogger(ChildRecords.class);

    private final Path directory;
    private final ProcessHandle gateway = ProcessHandle.current();

    ChildRecords(Path directory) {
        this.directory = directory;
    }

    /**
     * Notes a child (the leader of its own process group, when setsid is there); the note goes when it exits. Without start times (no
     * {@code /proc}) nothing is noted: a pid alone could name another program by the next start.
     */
    void record(Process child) {
        Optional<String> gatewayStarted = started(gateway);
        Optional<String> childStarted = started(child.toHandle());
        if (gatewayStarted.isEmpty() || childStarted.isEmpty()) {
            return;
        }
        Path file = directory.resolve(Long.toString(child.pid()));
        try {
            Files.createDirectories(directory);
            Files.writeString(file, gateway.pid() + " " + gatewayStarted.get() + " " + childStarted.get() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record child process " + child.pid() + " in " + directory, e);
        }
        child.onExit().thenRun(() -> deleteQuietly(file));
    }

    /** Ends the process groups (else the processes) of recorded children whose gateway is gone; returns their pids. */
    List<Long> endOrphans() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(directory)) {
            files = entries.toList();
        } catch (IOException e) {
            LOG.warn("Cannot read the records of child processes in {}: {}", directory, e.getMessage());
            return List.of();
        }
        return files.stream().flatMap(file -> endIfOrphaned(file).stream()).toList();
    }

    private Optional<Long> endIfOrphaned(Path file) {
        String[] record;
        try {
            record = Files.readString(file).trim().split(" ");
        } catch (IOException e) {
            return Optional.empty();
        }
        String pid = file.getFileName().toString();
        if (record.length == 3 && isRunning(record[0], record[1])) {
            return Optional.empty();
        }
        deleteQuietly(file);
        if (record.length != 3 || !isRunning(pid, record[2])) {
            return Optional.empty();
        }
        long leader = Long.parseLong(pid);
        LOG.warn("Ending child process group {} left running by gateway {}, which is gone", leader, record[0]);
        if (!ProcessGroups.signal(leader, "KILL")) {
            ProcessHandle.of(leader).ifPresent(ProcessHandle::destroyForcibly);
        }
        return Optional.of(leader);
    }

    /** Whether {@code pid} is alive and is the process that started at {@code started}. */
    private static boolean isRunning(String pid, String started) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                    .flatMap(ChildRecords::started).map(started::equals).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<String> started(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).map(String::valueOf);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Cannot delete {}: {}", file, e.getMessage());
        }
    }
}
