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

    @Test
    void aGlobIsLiteralButForItsStars() {
        Grants dotted = tenant(List.of("demo.v2"), List.of("demo.v2__get_*"), List.of());
        assertThat(dotted.allows(TOOLS, "demo.v2", "get_user")).isTrue();
        assertThat(dotted.allows(TOOLS, "demoXv2", "get_user")).as("'.' is no wildcard").isFalse();
        assertThat(dotted.allows(TOOLS, "demo.v2", "set_user")).isFalse();
        Grants quoted = tenant(null, List.of("a\\E|.*"), List.of());
        assertThat(quoted.allows(TOOLS, "any", "thing")).as("a pattern's text cannot end its own quoting").isFalse();
        assertThat(quoted.allows(TOOLS, "a\\E|", "x")).isFalse();
        assertThat(Grants.of("tenant:t", Optional.empty(), Optional.of(List.of("a\\E|__*")), List.of()).allows(TOOLS, "a\\E|", "x")).isTrue();
    }

    @Test
    void aStarMatchesAcrossTheSeparatorAndLineBreaks() {
        Grants deny = tenant(null, null, List.of("demo__*"));
        assertThat(deny.allows(TOOLS, "demo", "a__b")).isFalse();
        assertThat(deny.allows(TOOLS, "demo", "line\nbreak")).as("a backend's odd tool name is denied all the same").isFalse();
        assertThat(deny.allows(TOOLS, "other", "line\nbreak")).isTrue();
        Grants allow = tenant(null, List.of("*"), List.of());
        assertThat(allow.allows(TOOLS, "demo", "line\nbreak")).isTrue();
    }

    @Test
    void patternsAreCaseSensitive() {
        Grants lower = tenant(List.of("demo"), List.of("demo__echo"), List.of());
        assertThat(lower.allows(TOOLS, "demo", "Echo")).isFalse();
        assertThat(lower.allows(TOOLS, "Demo", "echo")).isFalse();
    }

    @Test
    void denyWinsOverEveryAllowAndAppliesWithoutAnAllowList() {
        Grants rules = tenant(null, null, List.of("demo__echo"));
        assertThat(rules.allows(TOOLS, "demo", "echo")).isFalse();
        assertThat(rules.allows(TOOLS, "demo", "add")).isTrue();
        assertThat(rules.allows(TOOLS, "other", "echo")).isTrue();
        Grants both = tenant(null, List.of("demo__echo"), List.of("demo__echo"));
        assertThat(both.allows(TOOLS, "demo", "echo")).isFalse();
    }

    @Test
    void anEmptyBackendListGrantsNothingWhatTheToolListAllows() {
        Grants none = tenant(List.of(), List.of("*"), List.of());
        assertThat(none.allows(TOOLS, "demo", "echo")).isFalse();
    }

    @Test
    void anAgentUsingNothingShowsNothing() {
        Grants nothing = Grants.uses("agent:a", List.of());
        for (ListKind kind : EVERY_KIND) {
            assertThat(nothing.allows(kind, "demo", "echo")).as(kind.name()).isFalse();
            assertThat(nothing.allows(kind, "demo", "demo://greeting")).as(kind.name()).isFalse();
        }
    }

    @Test
    void anAgentsToolPatternCoversPromptsOfThatBackendButNoResources() {
        Grants everyTool = Grants.uses("agent:a", List.of("demo__*"));
        assertThat(everyTool.allows(TOOLS, "demo", "echo")).isTrue();
        assertThat(everyTool.allows(PROMPTS, "demo", "greet")).isTrue();
        assertThat(everyTool.allows(TOOLS, "demo2", "echo")).isFalse();
        assertThat(everyTool.allows(RESOURCES, "demo", "demo://greeting")).isFalse();
    }

    @Test
    void anAgentsWholeBackendsMayBeGlobs() {
        Grants github = Grants.uses("agent:a", List.of("github-*"));
        assertThat(github.allows(TOOLS, "github-acme", "create_issue")).isTrue();
        assertThat(github.allows(RESOURCES, "github-acme", "repo://x")).isTrue();
        assertThat(github.allows(TOOLS, "gitlab", "create_issue")).isFalse();
    }
}
