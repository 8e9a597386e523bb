package io.mcpgw.plugins.audit.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.AuditSinkFactory;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;
import org.pf4j.Extension;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code audit: [{type: postgres}]}: events as rows of a table the sink creates and migrates (schema versioned),
 * written a batch per transaction; the event id is the primary key, so a batch written again after a failure adds
 * nothing twice.
 */
@Extension
public final class PostgresAuditSinkFactory implements AuditSinkFactory {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * The keys of the section.
     *
     * @param url {@code jdbc:postgresql://host:5432/database}, with any driver parameters (TLS: {@code sslmode}, ...)
     * @param user the database user; may be in the URL instead
     * @param password the user's password, e.g. {@code ${AUDIT_DB_PASSWORD}}
     * @param schema where the table lives; default {@code public}
     * @param table default {@code mcpgw_audit}
     * @param poolSize connections kept; default 2
     * @param connectTimeout how long to wait for a connection before a batch counts as failed; default 10s
     */
    record Settings(String url, String user, String password, String schema, String table, Integer poolSize, Duration connectTimeout) {
        Settings {
            if (url == null || !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("url: a jdbc:postgresql://host:port/database URL is required");
            }
            schema = identifier("schema", schema == null ? "public" : schema);
            table = identifier("table", table == null ? "mcpgw_audit" : table);
            poolSize = poolSize == null ? 2 : poolSize;
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize: must be at least 1");
            }
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
            if (connectTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectTimeout: must be at least 250ms");
            }
        }

        private static String identifier(String key, String value) {
            if (!IDENTIFIER.matcher(value).matches()) {
                throw new IllegalArgumentException(key + ": '" + value + "' must be a plain lower-case SQL name ([a-z_][a-z0-9_]*)");
            }
            return value;
        }
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public AuditSink create(ExtensionContext context) {
        Settings settings = context.config().bind(Settings.class);
        if (context.validateOnly()) {
            if (Driver.parseURL(settings.url(), new Properties()) == null) {
                throw new IllegalArgumentException("url: not a valid jdbc:postgresql://host:port/database URL");
            }
            return batch -> {
                throw new IllegalStateException("a PostgreSQL sink created by mcpgw validate writes nothing");
            };
        }
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(settings.url());
        if (settings.user() != null) {
            postgres.setUser(settings.user());
        }
        if (settings.password() != null) {
            postgres.setPassword(settings.password());
        }
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(postgres);
        pool.setPoolName("mcpgw-audit-" + settings.table());
        pool.setMaximumPoolSize(settings.poolSize());
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(settings.connectTimeout().toMillis());
        // Start even while the database is down: the journal keeps the events until it is back.
        pool.setInitializationFailTimeout(-1);
        pool.setAutoCommit(false);
        return new PostgresAuditSink(new HikariDataSource(pool), new AuditTable(settings.schema(), settings.table()), context.logger());
    }
}
