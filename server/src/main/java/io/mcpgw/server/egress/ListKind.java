package io.mcpgw.server.egress;

/** The lists a backend offers, how to fetch them, and the capability that says it has them. */
public enum ListKind {
    TOOLS("tools/list", "tools", "tools", "notifications/tools/list_changed"),
    PROMPTS("prompts/list", "prompts", "prompts", "notifications/prompts/list_changed"),
    RESOURCES("resources/list", "resources", "resources", "notifications/resources/list_changed"),
    RESOURCE_TEMPLATES("resources/templates/list", "resourceTemplates", "resources", "notifications/resources/list_changed");

    private final String method;
    private final String field;
    private final String capability;
    private final String changedNotification;

    ListKind(String method, String field, String capability, String changedNotification) {
        this.method = method;
        this.field = field;
        this.capability = capability;
        this.changedNotification = changedNotification;
    }

    /** The list method, e.g. {@code tools/list}. */
    public String method() {
        return method;
    }

    /** The result field holding the items, e.g. {@code tools}. */
    public String field() {
        return field;
    }

    /** The server capability announcing the list, e.g. {@code tools}. */
    public String capability() {
        return capability;
    }

    /** The notification that says the list changed. */
    public String changedNotification() {
        return changedNotification;
    }
}
