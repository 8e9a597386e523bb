package io.mcpgw.server.plugin;

import static io.mcpgw.testkit.TestingPluginJar.plugin;
import static io.mcpgw.testkit.TestingPluginJar.policyFactorySource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.mcpgw.server.Gateway;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.ConfigException;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.spi.policy.Decision;
import io.mcpgw.spi.policy.PolicyEvaluator;
import io.mcpgw.spi.policy.PolicyInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoadingTest {

    @TempDir
    Path home;

    private Path plugins;

    @BeforeEach
    void createPluginsDirectory() throws IOException {
        plugins = Files.createDirectories(home.resolve("plugins"));
    }

    /** A policy that denies one tool, named by its {@code deny} key. */
    private static String denyToolPolicy(String packageName, String name) {
        return policyFactorySource(packageName + ".DenyToolFactory", name, """
                public record Settings(String deny) {
                    public Settings {
                        if (deny == null) throw new IllegalArgumentException("deny: required value is missing");
                    }
                }
                """, """
                Settings settings = context.config().bind(Settings.class);
                return input -> input.target().equals(settings.deny())
                        ? new Decision.Deny("denied-tool", "tool " + input.target() + " is denied")
                        : Decision.allow();
                """);
    }

    private static PolicyInput call(String tool) {
        return new PolicyInput("acme", "ci-bot", Set.of(), Optional.empty(), "demo", "tools/call", tool, "demo__" + tool,
                Map.of(), new PolicyInput.Counters(0, 0, 0, 0));
    }

    private McpgwConfig config(String yaml) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "mcpgw.yaml");
    }

    private PluginLoader load(String... disabled) {
        return PluginLoader.load(plugins, GatewayVersion.release(), Set.of(disabled));
    }

    @Test
    void extensionIsFoundAndCreatedWithItsConfig() {
        plugin("deny-tool").requires(">=0.1.0")
                .extension("com.example.deny.DenyToolFactory", denyToolPolicy("com.example.deny", "deny-tool"))
                .writeJar(plugins);
        McpgwConfig config = config("""
                policy:
                  - type: deny-tool
                    deny: rm
                """);

        try (PluginLoader loader = load()) {
            assertThat(loader.plugins()).singleElement().satisfies(loaded -> {
                assertThat(loaded.id()).isEqualTo("deny-tool");
                assertThat(loaded.version()).isEqualTo("1.0.0");
                assertThat(loaded.state()).isEqualTo("started");
                assertThat(loaded.factories()).extracting(RegisteredFactory::kind, RegisteredFactory::name)
                        .containsExactly(tuple(ExtensionKind.POLICY, "deny-tool"));
            });
            ExtensionRegistry registry = new ExtensionRegistry(List.of(), loader.plugins());
            PolicyEvaluator policy = registry.create(ExtensionKind.POLICY, config.policy().getFirst(), PolicyEvaluator.class,
                    factory -> new HostExtensionContext(config.policy().getFirst(), factory, Clock.systemUTC(),
                            home.resolve("data"), GatewayVersion.full()));

            assertThat(policy.evaluate(call("rm"))).isEqualTo(new Decision.Deny("denied-tool", "tool rm is denied"));
            assertThat(policy.evaluate(call("ls"))).isEqualTo(Decision.allow());
        }
    }

    @Test
    void zipPluginLoadsLikeAJar() {
        plugin("zipped").requires(">=0.1.0")
                .extension("com.example.zipped.DenyToolFactory", denyToolPolicy("com.example.zipped", "zipped-deny"))
                .writeZip(plugins);
        try (PluginLoader loader = load()) {
            assertThat(loader.plugins()).singleElement().satisfies(loaded -> {
                assertThat(loaded.id()).isEqualTo("zipped");
                assertThat(loaded.factories()).extracting(RegisteredFactory::name).containsExactly("zipped-deny");
            });
        }
    }

    @Test
    void extensionConfigErrorsNameTheKeyWhenTheGatewayIsAssembled() {
        plugin("deny-tool").requires(">=0.1.0")
                .extension("com.example.deny.DenyToolFactory", denyToolPolicy("com.example.deny", "deny-tool"))
                .writeJar(plugins);
        assertThatThrownBy(() -> Gateway.assemble(config("""
                policy:
                  - type: deny-tool
                    dney: rm
                """), new InstallPaths(home), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("mcpgw.yaml: policy[0].dney: unknown key 'dney'; did you mean 'deny'?");
        assertThatThrownBy(() -> Gateway.assemble(config("""
                policy:
                  - type: deny-tool
                """), new InstallPaths(home), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("mcpgw.yaml: policy[0].deny: required value is missing");
    }

    @Test
    void unknownTypeNamesThePlaceAndWhatIsKnown() {
        plugin("deny-tool").requires(">=0.1.0")
                .extension("com.example.deny.DenyToolFactory", denyToolPolicy("com.example.deny", "deny-tool"))
                .writeJar(plugins);
        assertThatThrownBy(() -> Gateway.assemble(config("""
                policy:
                  - type: deny-tol
                    deny: rm
                """), new InstallPaths(home), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("mcpgw.yaml: policy[0].type: unknown policy extension 'deny-tol'; did you mean 'deny-tool'? "
                        + "(known: deny-tool)");
        assertThatThrownBy(() -> Gateway.assemble(config("""
                backends:
                  - id: demo
                    transport: stdoi
                """), new InstallPaths(home), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("mcpgw.yaml: backends[0].transport: unknown transport extension 'stdoi'; did you mean 'stdio'? "
                        + "(known: http, sse, stdio)");
    }

    @Test
    void pluginCannotReachHostLibraries() {
        plugin("guicy").requires(">=0.1.0")
                .extension("com.example.guicy.GuicyFactory", policyFactorySource("com.example.guicy.GuicyFactory", "guicy",
                        "private final Object injector = com.google.inject.Guice.createInjector();",
                        "return input -> Decision.allow();"))
                .writeJar(plugins);
        assertThatThrownBy(this::load)
                .isInstanceOf(PluginLoadException.class)
                .hasMessageStartingWith("plugin 'guicy' 1.0.0 (guicy.jar): extension com.example.guicy.GuicyFactory "
                        + "cannot be loaded: java.lang.NoClassDefFoundError: com/google/inject/")
                .hasMessageEndingWith("(a plugin sees only the JDK, io.mcpgw.spi and org.pf4j: bundle any other library in the plugin)");
    }

    @Test
    void pluginRequiringAnotherGatewayVersionIsRefused() {
        plugin("future").requires(">=99.0.0")
                .extension("com.example.future.DenyToolFactory", denyToolPolicy("com.example.future", "future"))
                .writeJar(plugins);
        assertThatThrownBy(this::load)
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("plugin 'future' 1.0.0 (future.jar) requires mcpgw >=99.0.0, but this is mcpgw "
                        + GatewayVersion.release() + "; use a build of the plugin for this version");
    }

    @Test
    void duplicateNamesAcrossPluginsAreRefusedNamingBoth() {
        plugin("first").requires(">=0.1.0")
                .extension("com.example.first.DenyToolFactory", denyToolPolicy("com.example.first", "same-name"))
                .writeJar(plugins);
        plugin("second").requires(">=0.1.0")
                .extension("com.example.second.DenyToolFactory", denyToolPolicy("com.example.second", "same-name"))
                .writeJar(plugins);
        try (PluginLoader loader = load()) {
            assertThatThrownBy(() -> new ExtensionRegistry(List.of(), loader.plugins()))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("policy extension 'same-name' is provided twice: by plugin 'first' 1.0.0 (first.jar) "
                            + "and by plugin 'second' 1.0.0 (second.jar); remove or disable one of them");
        }
    }

    @Test
    void pluginCannotTakeABuiltInName() {
        plugin("shadow").requires(">=0.1.0")
                .extension("com.example.shadow.ShadowTransportFactory", """
                        package com.example.shadow;

                        import io.mcpgw.spi.ExtensionContext;
                        import io.mcpgw.spi.transport.BackendTransport;
                        import io.mcpgw.spi.transport.BackendTransportFactory;

                        public class ShadowTransportFactory implements BackendTransportFactory {
                            @Override
                            public String name() {
                                return "stdio";
                            }

                            @Override
                            public BackendTransport create(ExtensionContext context) {
                                throw new UnsupportedOperationException();
                            }
                        }
                        """)
                .writeJar(plugins);
        assertThatThrownBy(() -> Gateway.assemble(McpgwConfig.defaults(), new InstallPaths(home), Clock.systemUTC()))
                .isInstanceOf(StartupException.class)
                .hasMessage("transport extension 'stdio' is provided twice: by built-in and by plugin 'shadow' 1.0.0 "
                        + "(shadow.jar); remove or disable one of them");
    }

    @Test
    void extensionNamesMustBeLowerCaseWords() {
        plugin("badname").requires(">=0.1.0")
                .extension("com.example.badname.DenyToolFactory", denyToolPolicy("com.example.badname", "Deny_Tool"))
                .writeJar(plugins);
        try (PluginLoader loader = load()) {
            assertThatThrownBy(() -> new ExtensionRegistry(List.of(), loader.plugins()))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("plugin 'badname' 1.0.0 (badname.jar): policy extension com.example.badname.DenyToolFactory "
                            + "has the name 'Deny_Tool', which does not match [a-z][a-z0-9-]*");
        }
    }

    @Test
    void brokenPluginFailsStartUpUnlessDisabled() {
        plugin("broken").requires(">=0.1.0").pluginClass("com.example.broken.BrokenPlugin")
                .source("com.example.broken.BrokenPlugin", """
                        package com.example.broken;

                        public class BrokenPlugin extends org.pf4j.Plugin {
                            @Override
                            public void start() {
                                throw new IllegalStateException("no license file");
                            }
                        }
                        """)
                .extension("com.example.broken.DenyToolFactory", denyToolPolicy("com.example.broken", "broken-deny"))
                .writeJar(plugins);

        assertThatThrownBy(this::load)
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("plugin 'broken' 1.0.0 (broken.jar) failed to start: java.lang.IllegalStateException: no license file");

        try (PluginLoader loader = load("broken")) {
            assertThat(loader.plugins()).singleElement().satisfies(loaded -> {
                assertThat(loaded.state()).isEqualTo("disabled");
                assertThat(loaded.factories()).isEmpty();
            });
        }
    }

    @Test
    void pluginWithoutDescriptorIsReportedByFile() throws IOException {
        Files.writeString(plugins.resolve("not-a-plugin.jar"), "this is not a jar");
        assertThatThrownBy(this::load)
                .isInstanceOf(PluginLoadException.class)
                .hasMessageStartingWith("plugin not-a-plugin.jar cannot be loaded: ");
    }
}
