package io.mcpgw.server.relay;

/**
 * What the {@code requestState} of an {@code input_required} result carries, sealed, for a gateway node to continue
 * the call when the client retries: which call it continues (the gateway's id for it, the backend it runs on, the
 * method and a digest of the original params, so that it continues no other request), whose it is (tenant, client,
 * endpoint), until when it may be used, and the backend's own {@code requestState} when the backend made one (null
 * for a legacy backend). Only names and values, nothing of a node's memory, so any node with the key can read it.
 */
record RequestState(String call, String backend, String tenant, String client, String endpoint, String method, String digest,
        long expiresAtMillis, String backendState) {}
