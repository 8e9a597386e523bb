package io.mcpgw.spi;

import java.nio.file.Path;
import java.time.Clock;

/** What the gateway hands an extension when it creates it. */
public interface ExtensionContext {

    /** This extension's own configuration section. */
    ConfigSection config();

    /** The clock to read time from; tests move it instead of sleeping. */
    Clock clock();

    /** A logger named after the extension. Never log secrets through it. */
    System.Logger logger();

    /** A directory this extension may keep files in across restarts; created on first call. */
    Path dataDirectory();

    /** The gateway's version, e.g. {@code 0.1.0}. */
    String gatewayVersion();

    /**
     * True when the extension is created only to check its configuration ({@code mcpgw validate}): check the
     * section and what can be checked locally (files, syntax), but connect to nothing, resolve no host names and
     * start no threads or pools. The extension returned is closed unused. An extension that ignores this is
     * still created as for a start (the default: false).
     */
    default boolean validateOnly() {
        return false;
    }
}
