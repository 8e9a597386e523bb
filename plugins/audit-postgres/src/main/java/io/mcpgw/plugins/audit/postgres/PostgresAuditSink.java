package io.mcpgw.plugins.audit.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.JournaledEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Optional;

/**
 * Inserts each batch in one transaction. The table is migrated on the first batch (not at start, so the gateway
 * starts while the database is down); a failed batch rolls back whole, and its retry skips the events that a
 * commit the sink never heard of already stored.
 */
final class PostgresAuditSink implements AuditSink {

    private final HikariDataSource pool;
    private final AuditTable table;
    private final System.Logger logger;
    private boolean migrated;

    PostgresAuditSink(HikariDataSource pool, AuditTable table, System.Logger logger) {
        this.pool = pool;
        this.table = table;
        this.logger = logger;
    }

    @Override
    public void write(List<AuditEvent> batch) throws SQLException {
        writeJournaled(batch.stream().map(JournaledEvent::of).toList());
    }

    /** Stores each event's line as the journal wrote it, besides its columns. */
    @Override
    public void writeJournaled(List<JournaledEvent> batch) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            if (!migrated) {
                int was = table.migrate(connection);
                migrated = true;
                if (was < AuditTable.latestVersion()) {
                    logger.log(System.Logger.Level.INFO, "Audit table {0} migrated from version {1} to {2}", table.qualified(), was,
                            AuditTable.latestVersion());
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(table.insert())) {
                for (JournaledEvent journaled : batch) {
                    AuditEvent event = journaled.event();
                    insert.setString(1, event.id());
                    insert.setTimestamp(2, Timestamp.from(event.time()));
                    insert.setString(3, event.type().wireName());
                    text(insert, 4, event.tenant());
                    text(insert, 5, event.client());
                    text(insert, 6, event.session());
                    text(insert, 7, event.agent());
                    text(insert, 8, event.backend());
                    text(insert, 9, event.tool());
                    text(insert, 10, event.requestId());
                    text(insert, 11, event.traceId());
                    text(insert, 12, event.outcome());
                    text(insert, 13, event.errorCode());
                    if (event.durationMicros().isPresent()) {
                        insert.setLong(14, event.durationMicros().get());
                    } else {
                        insert.setNull(14, Types.BIGINT);
                    }
                    insert.setString(15, journaled.json());
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static void text(PreparedStatement statement, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
