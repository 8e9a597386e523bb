package io.mcpgw.server.plugin;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The parent of every plugin class loader: it shows the JDK, {@code io.mcpgw.spi}, {@code org.pf4j} and the SLF4J
 * API (so what a plugin and its libraries log goes to the gateway's log), and hides the rest of the gateway's class
 * path, so a plugin cannot come to depend on the gateway's libraries (and may bundle other versions of them).
 */
final class SpiOnlyClassLoader extends ClassLoader {

    private static final String[] SHARED_PACKAGES = {"io.mcpgw.spi.", "org.pf4j.", "org.slf4j."};
    private static final String[] SHARED_RESOURCES = {"io/mcpgw/spi/", "org/pf4j/", "org/slf4j/"};

    private final ClassLoader host;

    SpiOnlyClassLoader(ClassLoader host) {
        super("mcpgw-spi", ClassLoader.getPlatformClassLoader());
        this.host = host;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        for (String shared : SHARED_PACKAGES) {
            if (name.startsWith(shared)) {
                return host.loadClass(name);
            }
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        return isShared(name) ? host.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return isShared(name) ? host.getResources(name) : Collections.emptyEnumeration();
    }

    private static boolean isShared(String resource) {
        for (String shared : SHARED_RESOURCES) {
            if (resource.startsWith(shared)) {
                return true;
            }
        }
        return false;
    }
}
