package io.mcpgw.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PagesTest {

    private final Pages pages = new Pages(100);
    private final List<ObjectNode> items = IntStream.range(0, 250)
            .mapToObj(i -> JsonRpc.MAPPER.createObjectNode().put("name", "tool-" + i)).toList();

    @Test
    void walkingTheCursorsGivesEveryItemOnceInOrderAndTheLastPageHasNoCursor() {
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            ArrayNode into = JsonRpc.MAPPER.createArrayNode();
            Optional<String> next = pages.fill(items, cursor, into);
            into.forEach(item -> seen.add(item.path("name").asText()));
            sizes.add(into.size());
            if (next.isEmpty()) {
                break;
            }
            cursor = next.get();
        }
        assertThat(sizes).containsExactly(100, 100, 50);
        assertThat(seen).containsExactlyElementsOf(items.stream().map(item -> item.path("name").asText()).toList());
    }

    @Test
    void anEmptyListIsOneEmptyPage() {
        ArrayNode into = JsonRpc.MAPPER.createArrayNode();
        assertThat(pages.fill(List.of(), null, into)).isEmpty();
        assertThat(into).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage!", "", "bzI1MQ", "by0x", "eDEw", "b2Fi"})
    void aCursorTheGatewayDidNotGiveIsInvalidParams(String cursor) {
        // bzI1MQ is "o251", past the end; by0x "o-1"; eDEw "x10"; b2Fi "oab"
        assertInvalidCursor(items, cursor);
    }

    @Test
    void aCursorToTheEndOfAListThatShrankGivesAnEmptyLastPage() {
        String cursor = pages.fill(items, null, JsonRpc.MAPPER.createArrayNode()).orElseThrow();
        ArrayNode into = JsonRpc.MAPPER.createArrayNode();
        assertThat(pages.fill(items.subList(0, 100), cursor, into)).isEmpty();
        assertThat(into).isEmpty();
        assertThat(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)).isEqualTo("o100");
    }

    @Test
    void aCursorFromALongerViewIsRefusedWherePastTheEndOfThisOne() {
        String third = pages.fill(items, pages.fill(items, null, JsonRpc.MAPPER.createArrayNode()).orElseThrow(),
                JsonRpc.MAPPER.createArrayNode()).orElseThrow();
        List<ObjectNode> narrower = items.subList(0, 120);
        assertInvalidCursor(narrower, third);
    }

    @Test
    void aCursorFromAnotherViewOrForgedShowsOnlyTheListItIsUsedOn() {
        List<ObjectNode> other = IntStream.range(0, 130).mapToObj(i -> JsonRpc.MAPPER.createObjectNode().put("name", "other-" + i)).toList();
        String fromOther = pages.fill(other, null, JsonRpc.MAPPER.createArrayNode()).orElseThrow();
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("o240".getBytes(StandardCharsets.UTF_8));
        for (String cursor : List.of(fromOther, forged)) {
            ArrayNode into = JsonRpc.MAPPER.createArrayNode();
            pages.fill(items, cursor, into);
            assertThat(into).isNotEmpty().allSatisfy(item -> assertThat(item.path("name").asText()).startsWith("tool-"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"o99999999999", "o", "o 5", "\u00ff\u00fe"})
    void aForgedCursorThatIsNoOffsetIsInvalidParams(String decoded) {
        String cursor = Base64.getUrlEncoder().encodeToString(decoded.getBytes(StandardCharsets.ISO_8859_1));
        assertInvalidCursor(items, cursor);
    }

    @Test
    void aCursorInStandardBase64IsRefusedNotMisread() {
        // "o1>>" has a '>' whose standard encoding uses '+' or '/', which the URL alphabet has not
        String standard = Base64.getEncoder().encodeToString("o1>>?".getBytes(StandardCharsets.UTF_8));
        assertThat(standard).containsAnyOf("+", "/");
        assertInvalidCursor(items, standard);
    }

    private void assertInvalidCursor(List<ObjectNode> list, String cursor) {
        assertThatThrownBy(() -> pages.fill(list, cursor, JsonRpc.MAPPER.createArrayNode()))
                .isInstanceOfSatisfying(GatewayException.class, refused -> {
                    assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_PARAMS);
                    assertThat(refused.getMessage()).isEqualTo("Invalid cursor");
                });
    }
}
