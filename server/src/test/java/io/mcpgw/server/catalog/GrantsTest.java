package io.mcpgw.server.catalog;

import static io.mcpgw.server.egress.ListKind.PROMPTS;
import static io.mcpgw.server.egress.ListKind.RESOURCES;
import static io.mcpgw.server.egress.ListKind.RESOURCE_TEMPLATES;
import static io.mcpgw.server.egress.ListKind.TOOLS;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.server.egress.ListKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrantsTest {

    private static final List<ListKind> EVERY_KIND = List.of(TOOLS, PROMPTS, RESOURCES, RESOURCE_TEMPLATES);

    private static Grants tenant(List<String> backends, List<String> allow, List<String> deny) {
        return Grants.of("tenant:t", Optional.ofNullable(backends), Optional.ofNullable(allow), deny);
    }

    @Test
    void absentListsGrantEverything() {
        Grants all = tenant(null, null, List.of());
        for (ListKind kind : EVERY_KIND) {
            assertThat(all.allows(kind, "demo", "echo")).as(kind.name()).isTrue();
            assertThat(all.allows(kind, "added-later", "demo://greeting")).as(kind.name()).isTrue();
        }
    }

    @Test
    void anEmptyBackendListGrantsNothing() {
        Grants none = tenant(List.of(), null, List.of());
        for (ListKind kind : EVERY_KIND) {
            assertThat(none.allows(kind, "demo", "echo")).as(kind.name()).isFalse();
            assertThat(none.allows(kind, "added-later", "demo://greeting")).as(kind.name()).isFalse();
        }
    }

    @Test
    void anEmptyToolAllowListGrantsNoToolButLeavesPromptsAndResources() {
        Grants noTools = tenant(null, List.of(), List.of());
        assertThat(noTools.allows(TOOLS, "demo", "echo")).isFalse();
        assertThat(noTools.allows(PROMPTS, "demo", "greet")).isTrue();
        assertThat(noTools.allows(RESOURCES, "demo", "demo://greeting")).isTrue();
    }

    @Test
    void aPatternThatMatchesNothingGrantsNothing() {
        Grants elsewhere = tenant(List.of("nomatch-*"), null, List.of());
        for (ListKind kind : EVERY_KIND) {
            assertThat(elsewhere.allows(kind, "demo", "echo")).as(kind.name()).isFalse();
        }
        assertThat(elsewhere.allows(TOOLS, "nomatch-1", "echo")).isTrue();
    }

    @Test
    void denyHidesAToolTheAllowListMatches() {
        Grants rules = tenant(List.of("demo"), List.of("demo__*"), List.of("*__delete_*"));
        assertThat(rules.allows(TOOLS, "demo", "echo")).isTrue();
        assertThat(rules.allows(TOOLS, "demo", "delete_all")).isFalse();
        assertThat(rules.allows(PROMPTS, "demo", "delete_all")).as("deny is for tools").isTrue();
    }

    @Test
    void anAgentUsingOneToolShowsThatToolOnly() {
        Grants echo = Grants.uses("agent:a", List.of("demo__echo"));
        assertThat(echo.allows(TOOLS, "demo", "echo")).isTrue();
        assertThat(echo.allows(TOOLS, "demo", "add")).isFalse();
        assertThat(echo.allows(PROMPTS, "demo", "greet")).isFalse();
        assertThat(echo.allows(RESOURCES, "demo", "demo://greeting")).isFalse();
        assertThat(echo.allows(RESOURCE_TEMPLATES, "demo", "demo://{x}")).isFalse();
        assertThat(echo.allows(TOOLS, "other", "echo")).isFalse();
    }

    @Test
    void anAgentUsingAWholeBackendShowsAllOfItAndNothingElse() {
        Grants demo = Grants.uses("agent:a", List.of("demo"));
        for (ListKind kind : EVERY_KIND) {
            assertThat(demo.allows(kind, "demo", "anything")).as(kind.name()).isTrue();
            assertThat(demo.allows(kind, "testing", "anything")).as(kind.name()).isFalse();
        }
    }

    @Test
    void anAgentNamesPromptsByNamespacedNameAndResourcesByUriGlob() {
        Grants named = Grants.uses("agent:a", List.of("demo__greet", "test://doc/*", "file:///srv/a__b"));
        assertThat(named.allows(PROMPTS, "demo", "greet")).isTrue();
        assertThat(named.allows(PROMPTS, "demo", "other")).isFalse();
        assertThat(named.allows(RESOURCES, "testing", "test://doc/1")).isTrue();
        assertThat(named.allows(RESOURCES, "testing", "test://items/1")).isFalse();
        assertThat(named.allows(RESOURCE_TEMPLATES, "testing", "test://doc/{id}")).isTrue();
        assertThat(named.allows(RESOURCES, "files", "file:///srv/a__b")).as("a ':' before '__' makes a URI").isTrue();
        assertThat(named.allows(TOOLS, "testing", "echo")).isFalse();
    }
}
