/**
 * The mcpgw service-provider interface: everything a plugin implements or receives.
 *
 * <p>Each concern has one extension point, a named factory: {@link io.mcpgw.spi.identity.IdentityResolverFactory},
 * {@link io.mcpgw.spi.policy.PolicyEvaluatorFactory}, {@link io.mcpgw.spi.credentials.CredentialsProviderFactory},
 * {@link io.mcpgw.spi.audit.AuditSinkFactory}, {@link io.mcpgw.spi.discovery.DiscoveryProviderFactory} and
 * {@link io.mcpgw.spi.transport.BackendTransportFactory}. A plugin annotates its factory with
 * {@code @org.pf4j.Extension}; the configuration selects it by {@link io.mcpgw.spi.ExtensionFactory#name()} with
 * {@code type:}, and the gateway calls {@link io.mcpgw.spi.ExtensionFactory#create(ExtensionContext)} with that
 * section of the configuration.
 *
 * <p>Every type here is an interface, an enum or an immutable record; the package depends on nothing but PF4J.
 */
package io.mcpgw.spi;
