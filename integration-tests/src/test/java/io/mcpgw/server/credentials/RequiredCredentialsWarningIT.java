package io.mcpgw.server.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.testkit.TestingGateway;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backend with {@code credentials: required} and a configured tenant the providers have nothing for: said at start. */
class RequiredCredentialsWarningIT {

    private static final String LOGGER = CredentialBroker.class.getName();

    @TempDir
    Path home;

    @Test
    void aTenantWithoutTheVariablesARequiredBackendNeedsIsWarnedAboutAtStart() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        AbstractAppender capture = new AbstractAppender("capture-credentials", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                    warnings.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        capture.start();
        LoggerConfig brokerLogs = new LoggerConfig(LOGGER, Level.INFO, true);
        brokerLogs.addAppender(capture, Level.WARN, null);
        context.getConfiguration().addLogger(LOGGER, brokerLogs);
        context.updateLoggers();
        try (TestingGateway ignored = TestingGateway.start(home, """
                tenants:
                  - id: acme
                  - id: globex-eu
                credentials:
                  - type: env
                    entries:
                      - { backend: locked, tenant: acme, environment: { TOKEN: "{env:PATH}" } }
                      - { backend: "lock*", environment: { TOKEN: "{env:MCPGW_UNSET_TOKEN_{tenant}}" } }
                backends:
                  - id: locked
                    transport: stdio
                    command: ["sh", "-c", "sleep 30"]
                    credentials: required
                  - id: open
                    transport: stdio
                    command: ["sh", "-c", "sleep 30"]
                """)) {
            assertThat(warnings).containsExactly("Backend 'locked' requires credentials, but tenant 'globex-eu' has none: its calls"
                    + " will fail (-32014); not set: MCPGW_UNSET_TOKEN_globex-eu or MCPGW_UNSET_TOKEN_GLOBEX_EU");
        } finally {
            context.getConfiguration().removeLogger(LOGGER);
            context.updateLoggers();
        }
    }
}
