package io.mcpgw.server.identity;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.identity.Identity;
import io.mcpgw.spi.identity.IdentityResolver;
import io.mcpgw.spi.identity.IdentityResolverFactory;
import io.mcpgw.spi.identity.IdentityResult;
import io.mcpgw.spi.identity.RequestInfo;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * {@code identity: {type: mtls}}: the client certificate the MCP listener verified ({@code server.tls.clientCa})
 * tells tenant and client, each from a field of the certificate: {@code subject.<attribute>} (e.g.
 * {@code subject.O}, {@code subject.CN}) or the first subject alternative name of a kind ({@code san.dns},
 * {@code san.uri}, {@code san.email}, {@code san.ip}). A request without a certificate, or whose certificate lacks
 * the field, is not authenticated (401), so a resolver listed after this one gets its turn.
 */
public final class MtlsIdentityFactory implements IdentityResolverFactory {

    /** The kinds of subject alternative names, by their number in {@link X509Certificate#getSubjectAlternativeNames()}. */
    private static final Map<String, Integer> SAN_KINDS = Map.of("email", 1, "dns", 2, "uri", 6, "ip", 7);

    /** The keys of the section. */
    record Settings(String tenantField, String clientField, String tenant, List<String> scopes) {
        Settings {
            if (tenantField != null && tenant != null) {
                throw new IllegalArgumentException("tenant: give either a fixed tenant or tenantField, not both");
            }
            tenantField = tenant == null ? field("tenantField", tenantField == null ? "subject.O" : tenantField) : null;
            clientField = field("clientField", clientField == null ? "subject.CN" : clientField);
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }

        private static String field(String key, String field) {
            if (field.startsWith("subject.") && field.length() > "subject.".length()) {
                return field;
            }
            if (field.startsWith("san.") && SAN_KINDS.containsKey(field.substring(4).toLowerCase(Locale.ROOT))) {
                return field.toLowerCase(Locale.ROOT);
            }
            throw new IllegalArgumentException(key + ": '" + field + "' is not a certificate field; use subject.<attribute>"
                    + " (e.g. subject.CN, subject.O) or san.dns, san.uri, san.email, san.ip");
        }
    }

    @Override
    public String name() {
        return "mtls";
    }

    @Override
    public IdentityResolver create(ExtensionContext context) {
        return new Certificates(context.config().bind(Settings.class));
    }

    /** Identities read off verified certificates: resolving never waits. */
    private record Certificates(Settings settings) implements IdentityResolver {
        @Override
        public IdentityResult resolve(RequestInfo request) {
            if (request.clientCertificates().isEmpty()) {
                return new IdentityResult.Rejected(401, "a client certificate is required (mutual TLS)", Optional.empty());
            }
            X509Certificate certificate = request.clientCertificates().getFirst();
            Optional<String> tenant = settings.tenant() != null ? Optional.of(settings.tenant()) : value(certificate, settings.tenantField());
            Optional<String> client = value(certificate, settings.clientField());
            if (tenant.isEmpty() || client.isEmpty()) {
                return new IdentityResult.Rejected(401, "the client certificate has no " + (tenant.isEmpty() ? settings.tenantField()
                        : settings.clientField()) + " to tell who calls", Optional.empty());
            }
            return new IdentityResult.Authenticated(new Identity(tenant.get(), client.get(), Set.copyOf(settings.scopes()),
                    Map.of("certificateSubject", List.of(certificate.getSubjectX500Principal().getName()),
                            "certificateIssuer", List.of(certificate.getIssuerX500Principal().getName()))));
        }

        @Override
        public boolean neverBlocks() {
            return true;
        }
    }

    /** The field's value in the certificate: the most specific subject attribute, or the first name of the kind. */
    private static Optional<String> value(X509Certificate certificate, String field) {
        if (field.startsWith("subject.")) {
            String attribute = field.substring("subject.".length());
            try {
                List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
                // LdapName lists the most significant first; the last one of the type is the most specific
                for (int i = rdns.size() - 1; i >= 0; i--) {
                    if (rdns.get(i).getType().equalsIgnoreCase(attribute)) {
                        return Optional.of(rdns.get(i).getValue().toString()).filter(value -> !value.isEmpty());
                    }
                }
            } catch (InvalidNameException e) {
                return Optional.empty();
            }
            return Optional.empty();
        }
        int kind = SAN_KINDS.get(field.substring("san.".length()));
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            return names.stream().filter(name -> name.size() == 2 && Integer.valueOf(kind).equals(name.get(0)) && name.get(1) instanceof String)
                    .map(name -> (String) name.get(1)).findFirst();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }
}
