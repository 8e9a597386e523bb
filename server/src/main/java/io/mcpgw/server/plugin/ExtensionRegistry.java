package io.mcpgw.server.plugin;

import io.mcpgw.server.config.ConfigException;
import io.mcpgw.server.config.ExtensionSection;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.config.Suggestions;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.ExtensionFactory;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every extension factory the gateway knows, built-in and plugged in, by extension point and name. Names are
 * checked once, here, for both: the same rules and the same messages.
 */
public final class ExtensionRegistry {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final Map<ExtensionKind, Map<String, RegisteredFactory>> factories = new EnumMap<>(ExtensionKind.class);

    public ExtensionRegistry(Collection<? extends ExtensionFactory<?>> builtIns, List<LoadedPlugin> plugins) {
        for (ExtensionKind kind : ExtensionKind.values()) {
            factories.put(kind, new TreeMap<>());
        }
        for (ExtensionFactory<?> builtIn : builtIns) {
            ExtensionKind kind = ExtensionKind.of(builtIn).orElseThrow(
                    () -> new IllegalArgumentException(builtIn.getClass() + " implements no extension point"));
            register(new RegisteredFactory(kind, builtIn, "built-in"));
        }
        for (LoadedPlugin plugin : plugins) {
            plugin.factories().forEach(this::register);
        }
    }

    private void register(RegisteredFactory candidate) {
        String name = candidate.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new StartupException(candidate.origin() + ": " + candidate.kind().label() + " extension "
                    + candidate.factory().getClass().getName() + " has the name '" + name
                    + "', which does not match [a-z][a-z0-9-]*");
        }
        RegisteredFactory existing = factories.get(candidate.kind()).putIfAbsent(name, candidate);
        if (existing != null) {
            throw new StartupException(candidate.kind().label() + " extension '" + name + "' is provided twice: by "
                    + existing.origin() + " and by " + candidate.origin() + "; remove or disable one of them");
        }
    }

    /**
     * Creates the extension a configuration section names.
     *
     * @param contexts makes the context for the factory's extension
     * @throws ConfigException when the type is unknown, or the factory rejects its section
     */
    public <T> T create(ExtensionKind kind, ExtensionSection section, Class<T> extensionType,
            Function<RegisteredFactory, ExtensionContext> contexts) {
        Map<String, RegisteredFactory> ofKind = factories.get(kind);
        RegisteredFactory registered = ofKind.get(section.type());
        if (registered == null) {
            String known = ofKind.isEmpty() ? "none is installed" : "known: " + String.join(", ", ofKind.keySet());
            String key = kind == ExtensionKind.TRANSPORT ? "transport" : "type";
            throw new ConfigException(section.source() + ": " + section.path() + "." + key + ": unknown "
                    + kind.label() + " extension '" + section.type() + "'"
                    + Suggestions.didYouMean(section.type(), ofKind.keySet()) + " (" + known + ")");
        }
        Object extension;
        try {
            extension = registered.factory().create(contexts.apply(registered));
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(section.source() + ": " + section.path() + ": " + kind.label() + " extension '"
                    + section.type() + "' (" + registered.origin() + ") rejected its configuration: " + e.getMessage());
        }
        if (!extensionType.isInstance(extension)) {
            throw new StartupException(registered.origin() + ": " + kind.label() + " extension '" + section.type()
                    + "' created " + (extension == null ? "nothing" : extension.getClass().getName())
                    + " instead of a " + extensionType.getSimpleName());
        }
        return extensionType.cast(extension);
    }
}
