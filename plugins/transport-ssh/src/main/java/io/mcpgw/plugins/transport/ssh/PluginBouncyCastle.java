package io.mcpgw.plugins.transport.ssh;

import java.security.Provider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.common.util.security.bouncycastle.BouncyCastleSecurityProviderRegistrar;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * This plugin's own Bouncy Castle provider for MINA SSHD, used by instance and never registered with the JVM. By
 * default MINA takes whatever provider named {@code BC} the JVM has, which may come from another class loader
 * (another plugin's copy, or the gateway's), and then fails to cast its keys.
 */
final class PluginBouncyCastle extends BouncyCastleSecurityProviderRegistrar {

    private final Provider provider = new BouncyCastleProvider();

    private PluginBouncyCastle() {}

    /**
     * Makes MINA SSHD use this plugin's provider; call before anything else of MINA's. Once a provider named
     * {@code BC} is registered with MINA, later calls change nothing.
     */
    static void install() {
        SecurityUtils.registerSecurityProvider(new PluginBouncyCastle());
    }

    @Override
    public Provider getSecurityProvider() {
        return provider;
    }

    @Override
    public boolean isNamedProviderUsed() {
        return false;
    }
}
