package io.mcpgw.server.transport.stdio;

import java.util.List;
import java.util.Map;

/**
 * A stdio backend's keys.
 *
 * @param command the program and its arguments; a relative program path resolves against the install directory
 * @param env variables added to the child's scrubbed environment
 * @param workingDirectory the child's working directory, relative to the install directory (default: it)
 * @param maxProcesses how many children serve this backend; each serves many calls at once (default 1)
 * @param maxMessageBytes the longest line the child may write (default 16 MiB): a longer one fails the calls in
 *     flight and the child is replaced
 */
record StdioSettings(List<String> command, Map<String, String> env, String workingDirectory, Integer maxProcesses,
        Integer maxMessageBytes) {

    static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final int MAX_MAX_MESSAGE_BYTES = 1024 * 1024 * 1024;

    StdioSettings {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("command: required value is missing (the program to run, as a list)");
        }
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        workingDirectory = workingDirectory == null ? "." : workingDirectory;
        maxProcesses = maxProcesses == null ? 1 : maxProcesses;
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("maxProcesses: must be at least 1");
        }
        maxMessageBytes = maxMessageBytes == null ? DEFAULT_MAX_MESSAGE_BYTES : maxMessageBytes;
        if (maxMessageBytes < 1024 || maxMessageBytes > MAX_MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes: must be between 1024 and " + MAX_MAX_MESSAGE_BYTES);
        }
    }
}
