package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.spi.credentials.Credentials;
import java.util.Optional;

/**
 * One request for a backend, as it travels to the connection that sends it.
 *
 * @param method the MCP method
 * @param params its parameters, as the backend gets them
 * @param caller on whose behalf it goes (see {@link Caller}): which connections may carry it
 * @param hook sees the answer as it arrives
 * @param credentials what the connection must have been opened with (see {@link CredentialKey})
 * @param onIoThread whether it is sent from an I/O thread, where nothing may wait: the edge decided it for the whole
 *        request (see {@link Backend#call})
 */
public record BackendRequest(String method, JsonNode params, Caller caller, AnswerHook hook, Optional<Credentials> credentials,
        boolean onIoThread) {}
