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
    private final boolean validateOnly;

    public ExtensionRegistry(Collection<? extends ExtensionFactory<?>> builtIns, List<LoadedPlugin> plugins) {
        this(builtIns, plugins, false);
    }

    /** @param validateOnly extensions are created only to check their sections ({@link ExtensionContext#validateOnly()}) */
    public ExtensionRegistry(Collection<? extends ExtensionFactory<?>> builtIns, List<LoadedPlugin> plugins, boolean validateOnly) {
        this.validateOnly = validateOnly;
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
            ExtensionContext context = contexts.apply(registered);
            extension = registered.factory().create(validateOnly ? new ValidateOnlyContext(context) : context);
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new ConfigException(section.source() + ": " + section.path() + ": " + kind.label() + " extension '"
                    + section.type() + "' (" + registered.origin() + ") rejected its configuration: " + rootCause(e));
        }
        if (!extensionType.isInstance(extension)) {
            throw new StartupException(registered.origin() + ": " + kind.label() + " extension '" + section.type()
                    + "' created " + (extension == null ? "nothing" : extension.getClass().getName())
                    + " instead of a " + extensionType.getSimpleName());
        }
        return extensionType.cast(extension);
    }

    /** The failure's message with its innermost cause (a class the plugin lacks, a refused connection), on one line. */
    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (root != failure) {
            message += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        } else if (failure instanceof LinkageError) {
            message = failure.getClass().getSimpleName() + ": " + message;
        }
        return message.replaceAll("\\s*\\R\\s*", " ");
    }
}
