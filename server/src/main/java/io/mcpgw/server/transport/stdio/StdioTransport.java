package io.mcpgw.server.transport.stdio;

import io.mcpgw.server.InstallPaths;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Spawns one child process per connection. */
final class StdioTransport implements BackendTransport {

    /** Starting the child through setsid makes it a process-group leader, so the whole group can be ended. */
    private static final Optional<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
            .filter(Files::isExecutable)
            .findFirst();

    private final StdioSettings settings;
    private final InstallPaths paths;
    private final ChildRecords children;

    StdioTransport(StdioSettings settings, InstallPaths paths, ChildRecords children) {
        this.settings = settings;
        this.paths = paths;
        this.children = children;
    }

    @Override
    public int maxConnections() {
        return settings.maxProcesses();
    }

    @Override
    public int maxIsolatedConnections() {
        return settings.maxProcesses();
    }

    @Override
    public BackendConnection open(ConnectionRequest request, InboundHandler inbound) throws IOException {
        Map<String, String> environment = ChildEnvironment.build(System.getenv(), settings.env(), request.environment());
        List<String> command = new ArrayList<>();
        SETSID.ifPresent(setsid -> command.add(setsid.toString()));
        command.add(program(environment.getOrDefault("PATH", "")).toString());
        command.addAll(settings.command().subList(1, settings.command().size()));

        ProcessBuilder builder = new ProcessBuilder(command).directory(paths.resolve(settings.workingDirectory()).toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot start " + String.join(" ", settings.command()) + ": " + e.getMessage(), e);
        }
        children.record(process);
        return new StdioConnection(request.backendId(), process, SETSID.isPresent(), settings.maxMessageBytes(), inbound);
    }

    /**
     * The program to run, checked before spawning: behind setsid a missing program would only show as exit
     * code 127 later.
     */
    private Path program(String searchPath) throws IOException {
        String program = settings.command().getFirst();
        if (program.contains("/")) {
            Path resolved = paths.resolve(program);
            if (!Files.isExecutable(resolved)) {
                throw new IOException("cannot start " + program + ": " + resolved
                        + (Files.exists(resolved) ? " is not executable" : " does not exist"));
            }
            return resolved;
        }
        for (String directory : searchPath.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return Path.of(directory, program);
            }
        }
        throw new IOException("cannot start " + program + ": not found on PATH (" + searchPath + ")");
    }
}
