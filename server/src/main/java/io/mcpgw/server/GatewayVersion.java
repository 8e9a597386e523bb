package io.mcpgw.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The gateway's version, which is also the SPI version plugins declare in {@code Plugin-Requires}. */
public final class GatewayVersion {

    private static final String FULL = read();

    private GatewayVersion() {}

    /** As built, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String full() {
        return FULL;
    }

    /** The release part, e.g. {@code 0.1.0}: what {@code Plugin-Requires} ranges are checked against. */
    public static String release() {
        int qualifier = FULL.indexOf('-');
        return qualifier < 0 ? FULL : FULL.substring(0, qualifier);
    }

    private static String read() {
        try (InputStream in = GatewayVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the mcpgw-server jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
