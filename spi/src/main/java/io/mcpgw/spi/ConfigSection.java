package io.mcpgw.spi;

/**
 * One section of the gateway's YAML configuration, after {@code ${ENV}} substitution.
 *
 * <p>Extensions describe their configuration as a record and bind it:
 * <pre>{@code
 * record Settings(String url, Duration timeout, List<String> scopes) {
 *     Settings {
 *         if (url == null) throw new IllegalArgumentException("url: required value is missing");
 *         timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
 *         scopes = scopes == null ? List.of() : List.copyOf(scopes);
 *     }
 * }
 * Settings settings = context.config().bind(Settings.class);
 * }</pre>
 * Binding is strict: a key the record does not have, or a value of the wrong type, fails with the file, the full
 * path of the key and, for a misspelt key, a suggestion. Durations are written {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 1h} or {@code 2d}; nested records, lists and maps bind as usual.
 */
public interface ConfigSection {

    /** The path of this section in the configuration, e.g. {@code policy[1]} or {@code identity}. */
    String path();

    /** Whether the section has no keys (besides {@code type}). */
    boolean isEmpty();

    /**
     * Binds the section (without its {@code type} key) to a record type.
     *
     * @throws IllegalArgumentException describing the first problem, with the file and the path of the key
     */
    <T> T bind(Class<T> type);
}
