package io.mcpgw.server.credentials;

import io.mcpgw.server.catalog.Globs;
import io.mcpgw.spi.credentials.CredentialRequest;
import io.mcpgw.spi.credentials.Credentials;
import io.mcpgw.spi.credentials.CredentialsProvider;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Credentials written in the configuration, as the {@code static} and {@code env} providers read them: entries
 * matched in order by backend, tenant and client patterns, each giving environment variables and headers.
 */
final class CredentialEntries implements CredentialsProvider {

    /**
     * One entry.
     *
     * @param backend backend id pattern
     * @param tenant tenant pattern, default {@code *} (which also matches the gateway's own connections)
     * @param client client pattern, default {@code *}
     * @param environment variables for a stdio backend's process
     * @param headers headers for an HTTP backend's requests
     * @param ttl how long the broker may keep them; default its own
     */
    record Entry(String backend, String tenant, String client, Map<String, String> environment, Map<String, String> headers, Duration ttl) {
        Entry {
            if (backend == null) {
                throw new IllegalArgumentException("backend: required value is missing (a backend id or pattern)");
            }
            tenant = tenant == null ? "*" : tenant;
            client = client == null ? "*" : client;
            environment = environment == null ? Map.of() : Map.copyOf(environment);
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            if (environment.isEmpty() && headers.isEmpty()) {
                throw new IllegalArgumentException("environment: an entry gives environment variables, headers or both");
            }
        }
    }

    /** The keys of a {@code static} or {@code env} section. */
    record Settings(List<Entry> entries) {
        Settings {
            if (entries == null || entries.isEmpty()) {
                throw new IllegalArgumentException("entries: at least one entry is needed ({backend, environment or headers})");
            }
            entries = List.copyOf(entries);
        }
    }

    private record Compiled(Entry entry, List<Pattern> backend, List<Pattern> tenant, List<Pattern> client) {}

    private final List<Compiled> entries;
    private final BiFunction<String, CredentialRequest, Optional<String>> values;

    /** {@code values} turns a configured value into the secret for one request, or empty when it has none. */
    CredentialEntries(Settings settings, BiFunction<String, CredentialRequest, Optional<String>> values) {
        this.entries = settings.entries().stream().map(entry -> new Compiled(entry, Globs.compile(List.of(entry.backend())),
                Globs.compile(List.of(entry.tenant())), Globs.compile(List.of(entry.client())))).toList();
        this.values = values;
    }

    @Override
    public Optional<Credentials> resolve(CredentialRequest request) {
        for (Compiled compiled : entries) {
            if (!Globs.matchesAny(compiled.backend(), request.backend()) || !Globs.matchesAny(compiled.tenant(), request.tenant())
                    || !Globs.matchesAny(compiled.client(), request.client())) {
                continue;
            }
            Optional<Map<String, String>> environment = expand(compiled.entry().environment(), request);
            Optional<Map<String, String>> headers = expand(compiled.entry().headers(), request);
            if (environment.isPresent() && headers.isPresent()) {
                return Optional.of(new Credentials(environment.get(), headers.get(), Optional.ofNullable(compiled.entry().ttl())));
            }
        }
        return Optional.empty();
    }

    private Optional<Map<String, String>> expand(Map<String, String> configured, CredentialRequest request) {
        Map<String, String> expanded = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : configured.entrySet()) {
            Optional<String> value = values.apply(entry.getValue(), request);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            expanded.put(entry.getKey(), value.get());
        }
        return Optional.of(expanded);
    }
}
