package io.mcpgw.server.admin;

import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.http.HttpProblem;

/** An operator's change to the gateway, made for an admin request. */
interface OperatorChange<T> {

    T apply() throws InterruptedException;

    /** Makes a change: a definition its extension refuses is a 400, a name already taken a 409. */
    static <T> T make(OperatorChange<T> change) throws InterruptedException {
        try {
            return change.apply();
        } catch (StartupException e) {
            throw HttpProblem.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw HttpProblem.conflict(e.getMessage());
        }
    }
}
