package io.mcpgw.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.server.config.Globs;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The patterns that route reads and grant names: RFC 6570 templates for resource URIs, and name globs. */
class RoutingPatternsTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "file:///{path}, file:///notes.txt, true",
        "file:///{path}, file:///dir/notes.txt, false",
        "file:///{+path}, file:///dir/notes.txt, true",
        "test://doc/{id}, test://doc/1, true",
        "test://doc/{id}, test://doc/1?x=2, false",
        "test://doc/{id}{?rev}, test://doc/1?rev=2, true",
        "test://doc/{id}{?rev}, test://doc/1, true",
        "test://doc/{id}, test://docs/1, false",
        "a.b://{x}, aXb://y, false",
        "demo://greeting, demo://greeting, true",
        "demo://greeting, demo://greetings, false"})
    void aUriTemplateMatchesWhatItsExpressionsAllowAndItsLiteralsExactly(String template, String uri, boolean matches) {
        assertThat(new UriTemplate(template).matches(uri)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "demo, demo, true",
        "demo, demo2, false",
        "demo*, demo2, true",
        "*__echo, demo__echo, true",
        "*__echo, demo__echoes, false",
        "d.mo, demo, false",
        "a+b, aab, false",
        "a+b, a+b, true",
        "[x], x, false"})
    void aGlobIsLiteralButForItsStars(String glob, String name, boolean matches) {
        assertThat(Globs.matchesAny(Globs.compile(List.of(glob)), name)).isEqualTo(matches);
    }
}
