package io.mcpgw.server.identity;

/** The hash an {@code api-key} section stores for a key, for tests in other packages. */
public final class ApiKeyIdentityFactoryAccess {

    private ApiKeyIdentityFactoryAccess() {}

    public static String sha256(String key) {
        return ApiKeyIdentityFactory.sha256(key);
    }
}
