package io.mcpgw.plugins.transport.ssh;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An SSH backend's keys.
 *
 * @param host the SSH server's name or address
 * @param port its port (default 22)
 * @param user the user to log in as
 * @param identityFile a private key (OpenSSH or PEM: ed25519, ECDSA, RSA); optional when the credential broker gives one
 * @param identityPassword the passphrase of an encrypted {@code identityFile} (the admin API shows it redacted)
 * @param knownHosts an OpenSSH {@code known_hosts} file holding the server's host key; an unknown or changed key is refused
 * @param command the remote program and its arguments, quoted for the remote shell one by one
 * @param env variables sent to the remote command, where the server accepts them
 * @param maxProcesses how many remote commands (channels of one SSH connection) serve this backend (default 1)
 * @param connectTimeout how long connecting, the key exchange and the login may take (default 10s)
 * @param keepAliveInterval how often an idle connection is probed (default 15s)
 * @param keepAliveMaxMissed how many probes in a row may go unanswered before the connection counts as dropped (default 3)
 */
record SshSettings(String host, Integer port, String user, String identityFile, String identityPassword, String knownHosts,
        List<String> command, Map<String, String> env, Integer maxProcesses, Duration connectTimeout, Duration keepAliveInterval,
        Integer keepAliveMaxMissed) {

    SshSettings {
        require(host, "host", "the SSH server's name or address");
        require(user, "user", "the user to log in as");
        require(knownHosts, "knownHosts", "a known_hosts file with the server's host key; host keys are always verified");
        port = port == null ? 22 : port;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: must be between 1 and 65535");
        }
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("command: required value is missing (the remote program to run, as a list)");
        }
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        maxProcesses = maxProcesses == null ? 1 : maxProcesses;
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("maxProcesses: must be at least 1");
        }
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(10), "connectTimeout");
        keepAliveInterval = positive(keepAliveInterval, Duration.ofSeconds(15), "keepAliveInterval");
        keepAliveMaxMissed = keepAliveMaxMissed == null ? 3 : keepAliveMaxMissed;
        if (keepAliveMaxMissed < 1) {
            throw new IllegalArgumentException("keepAliveMaxMissed: must be at least 1");
        }
    }

    /** {@code user@host:port}, for messages. */
    String target() {
        return user + "@" + host + ":" + port;
    }

    private static void require(String value, String key, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + ": required value is missing (" + what + ")");
        }
    }

    private static Duration positive(Duration value, Duration fallback, String key) {
        Duration duration = value == null ? fallback : value;
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(key + ": must be positive");
        }
        return duration;
    }
}
