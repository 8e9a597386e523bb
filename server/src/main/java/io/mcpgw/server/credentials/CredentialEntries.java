package io.mcpgw.server.credentials;

import io.mcpgw.server.config.Globs;
import io.mcpgw.spi.credentials.CredentialRequest;
import io.mcpgw.spi.credentials.Credentials;
import io.mcpgw.spi.credentials.CredentialsProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

    /** How a provider reads its configured values. */
    interface Values {
        /** The secret a configured value gives one request, or empty when it has none. */
        Optional<String> expand(String value, CredentialRequest request);

        /** What a configured value needs for {@code backend} and {@code tenant} that is not there now; none by default. */
        default List<String> missing(String value, String backend, String tenant) {
            return List.of();
        }
    }

    private record Compiled(Entry entry, List<Pattern> backend, List<Pattern> tenant, List<Pattern> client) {}

    private final List<Compiled> entries;
    private final Values values;

    CredentialEntries(Settings settings, Values values) {
        this.entries = settings.entries().stream().map(entry -> new Compiled(entry, Globs.compile(List.of(entry.backend())),
                Globs.compile(List.of(entry.tenant())), Globs.compile(List.of(entry.client())))).toList();
        this.values = values;
    }

    /** The entries are held in memory, their values read from the configuration or the environment. */
    @Override
    public boolean neverBlocks() {
        return true;
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

    /** An entry for any client of the tenant either has what it needs, or this says what is missing. */
    @Override
    public Optional<String> missingAtStart(String backend, String tenant) {
        List<String> missing = new ArrayList<>();
        for (Compiled compiled : entries) {
            if (!Globs.matchesAny(compiled.backend(), backend) || !Globs.matchesAny(compiled.tenant(), tenant)) {
                continue;
            }
            List<String> lacking = Stream.concat(compiled.entry().environment().values().stream(), compiled.entry().headers().values().stream())
                    .flatMap(value -> values.missing(value, backend, tenant).stream()).distinct().toList();
            if (lacking.isEmpty()) {
                return Optional.empty();
            }
            missing.addAll(lacking);
        }
        return Optional.of(missing.isEmpty() ? "no entry matches" : "not set: " + String.join(", ", missing));
    }

    private Optional<Map<String, String>> expand(Map<String, String> configured, CredentialRequest request) {
        Map<String, String> expanded = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : configured.entrySet()) {
            Optional<String> value = values.expand(entry.getValue(), request);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            expanded.put(entry.getKey(), value.get());
        }
        return Optional.of(expanded);
    }
}
