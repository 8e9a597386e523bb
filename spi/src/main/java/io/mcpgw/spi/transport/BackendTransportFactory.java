package io.mcpgw.spi.transport;

import io.mcpgw.spi.ExtensionFactory;

/**
 * Creates the {@link BackendTransport} for one backend. A backend's {@code transport:} key names the factory; its
 * other keys, apart from the gateway's own ({@code id}, and those later documented for every backend), are the
 * transport's configuration section.
 */
public interface BackendTransportFactory extends ExtensionFactory<BackendTransport> {}
