package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client session as the pool's lease rules see it: {@code exclusive} when its client can be asked things. What a
 * backend sends it is dropped: the tests that use it look at leases and calls, not at what reaches a client.
 */
record TestingCaller(Caller.Session session, String sessionId, String tenant, boolean exclusive) implements Caller {

    TestingCaller(String id, boolean exclusive) {
        this(new Caller.Session() {}, id, "acme", exclusive);
    }

    @Override
    public void deliver(ObjectNode message) {}
}
