package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sees a backend's answer on the connection's reading thread, before anything the backend says after it is
 * handled: what the answer creates (a task) is known by the time the backend's next message refers to it.
 */
@FunctionalInterface
public interface AnswerHook {

    AnswerHook NONE = (client, response) -> response;

    /** The answer to pass on, given the connection it came from. */
    ObjectNode onAnswer(BackendClient client, ObjectNode response);
}
