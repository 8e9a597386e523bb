package io.mcpgw.plugins.audit.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The audit table and its schema version. Each migration runs once, in order, in a transaction holding an advisory
 * lock, so gateways starting together against one database do not race; the applied version is kept in
 * {@code <table>_schema}.
 */
final class AuditTable {

    /** Version n is the n-th entry; add new versions at the end, never change an old one. */
    private static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE IF NOT EXISTS %1$s (
                event_id        text PRIMARY KEY,
                occurred_at     timestamptz NOT NULL,
                type            text NOT NULL,
                tenant          text,
                client          text,
                session         text,
                agent           text,
                backend         text,
                tool            text,
                request_id      text,
                trace_id        text,
                outcome         text,
                error_code      text,
                duration_micros bigint,
                metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
                written_at      timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX IF NOT EXISTS %2$s_tenant_time ON %1$s (tenant, occurred_at);
            CREATE INDEX IF NOT EXISTS %2$s_request ON %1$s (request_id);
            """);

    private final String schema;
    private final String table;

    AuditTable(String schema, String table) {
        this.schema = schema;
        this.table = table;
    }

    /** {@code schema.table}; both were checked to be plain names. */
    String qualified() {
        return schema + "." + table;
    }

    /** The newest schema version this sink knows. */
    static int latestVersion() {
        return MIGRATIONS.size();
    }

    /** Brings the table to the latest version; returns the version it was at. */
    int migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(hashtext('mcpgw-audit:" + qualified() + "'))");
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            statement.execute("CREATE TABLE IF NOT EXISTS " + qualified() + "_schema (version integer PRIMARY KEY, "
                    + "applied_at timestamptz NOT NULL DEFAULT now())");
            int current;
            try (ResultSet result = statement.executeQuery("SELECT coalesce(max(version), 0) FROM " + qualified() + "_schema")) {
                result.next();
                current = result.getInt(1);
            }
            for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
                statement.execute(MIGRATIONS.get(version - 1).formatted(qualified(), table));
                try (PreparedStatement applied = connection.prepareStatement("INSERT INTO " + qualified() + "_schema (version) VALUES (?)")) {
                    applied.setInt(1, version);
                    applied.executeUpdate();
                }
            }
            connection.commit();
            return current;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /** The insert of one event; the event's JSON (parameter 15) gives its metadata. A known event id is skipped. */
    String insert() {
        return "INSERT INTO " + qualified() + " (event_id, occurred_at, type, tenant, client, session, agent, backend, tool, request_id, "
                + "trace_id, outcome, error_code, duration_micros, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "coalesce((?::jsonb)->'metadata', '{}'::jsonb)) ON CONFLICT (event_id) DO NOTHING";
    }
}
