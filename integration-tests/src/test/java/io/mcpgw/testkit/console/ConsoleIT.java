package io.mcpgw.testkit.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.cluster.ClusterNode;
import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.AdminClient;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium against a real gateway with real stdio backends: what an operator
 * sees and does, at a laptop's and a phone's window size. Each test leaves a screenshot in
 * {@code target/console-screenshots/}.
 */
class ConsoleIT {

    private static final String TOKEN = "console-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private static AdminClient admin;
    private Chromium chromium;

    @BeforeAll
    static void startGateway() throws Exception {
        Chromium.require();
        gateway = TestingGateway.start(home, """
                admin:
                  tokens: ["%s"]
                cluster:
                  name: console
                  port: 0
                  key: console-cluster-key-0123456789abcdef
                  discovery: { type: static, members: [] }
                backends:
                  - id: demo
                    transport: stdio
                    command: %s
                  - id: guarded
                    transport: stdio
                    command: %s
                    pinning: enforce
                """.formatted(TOKEN, JavaCommand.yaml(DemoBackend.class), JavaCommand.yaml(TestingMcpBackend.class)))
                .awaitReady(Duration.ofSeconds(60));
        admin = new AdminClient(gateway.adminUri(), TOKEN);
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @AfterEach
    void screenshotAndClose(TestInfo test) {
        if (chromium != null) {
            try {
                chromium.screenshot(test.getTestMethod().orElseThrow().getName());
            } finally {
                chromium.close();
            }
        }
    }

    private WebDriver open(Dimension window, String fragment) {
        chromium = Chromium.start(window);
        WebDriver driver = chromium.driver();
        driver.get(gateway.adminUri().resolve("/console/" + fragment).toString());
        return driver;
    }

    /** Signs in as an operator would: the token typed into its field, then Enter. */
    private WebDriver signedIn(Dimension window, String fragment) {
        WebDriver driver = open(window, fragment);
        WebElement field = wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.sendKeys(TOKEN, Keys.ENTER);
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        return driver;
    }

    /** A wait that looks again at an element the page has just redrawn (tables are rebuilt when their data changes). */
    private static WebDriverWait wait(WebDriver driver) {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Clicks what the selector finds, looking again when the table it is in was just redrawn. */
    private static void click(WebDriver driver, String css) {
        wait(driver).until(driver1 -> {
            driver1.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    private static String text(WebDriver driver, String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private static Function<WebDriver, Boolean> textIs(String css, String expected) {
        return driver -> {
            List<WebElement> found = driver.findElements(By.cssSelector(css));
            return !found.isEmpty() && found.getFirst().getText().equals(expected);
        };
    }

    private void assertNoPageErrors() {
        assertThat(chromium.pageErrors()).as("errors the page logged (scripts, Content-Security-Policy)").isEmpty();
    }

    @Test
    void signInShowsTheDemoBackendUpWithItsCalls() {
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        for (int i = 0; i < 5; i++) {
            assertThat(client.call("demo__add", "{\"a\":2,\"b\":3}").has("result")).isTrue();
        }
        WebDriver driver = signedIn(Chromium.DESKTOP, "");

        wait(driver).until(textIs("#overview-backends tr[data-backend=demo] td.state", "up"));
        assertThat(text(driver, "#overview-backends tr[data-backend=demo] td.circuit")).isEqualTo("closed");
        assertThat(text(driver, "#overview-backends tr[data-backend=guarded] td.state")).isEqualTo("up");
        assertThat(Integer.parseInt(text(driver, "#sessions-open"))).isGreaterThanOrEqualTo(1);
        assertThat(driver.findElements(By.cssSelector("figure.chart canvas"))).as("the four charts are drawn").hasSize(4);
        assertThat(driver.findElement(By.cssSelector("figure.chart .u-legend")).getText()).contains("demo", "guarded");
        assertThat((String) ((JavascriptExecutor) driver).executeScript("return sessionStorage.getItem('mcpgw.adminToken')"))
                .as("the token is kept in the tab's session storage").isEqualTo(TOKEN);
        assertThat(driver.manage().getCookies()).as("no cookie is set").isEmpty();
        assertNoPageErrors();
    }

    @Test
    void theOverviewListsTheClusterMembersWithThisOne() {
        WebDriver driver = signedIn(Chromium.DESKTOP, "");

        wait(driver).until(textIs("#overview-cluster tr.self td.state", "serving"));
        assertThat(driver.findElement(By.cssSelector("#overview-cluster caption")).getText()).isEqualTo("Members of cluster console");
        assertThat(driver.findElements(By.cssSelector("#overview-cluster tbody tr"))).as("a cluster of one").hasSize(1);
        ClusterNode self = gateway.gateway().cluster().orElseThrow().nodes().getFirst();
        assertThat(text(driver, "#overview-cluster tr.self td.member")).isEqualTo(self.id() + " (this one)");
        assertThat(text(driver, "#overview-cluster tr.self td:nth-child(2)")).isEqualTo(self.memberAddress());
        assertThat(text(driver, "#overview-cluster tr.self td:nth-child(3)")).isEqualTo(gateway.baseUri().toString());
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", driver.findElement(By.id("overview-cluster")));
        assertNoPageErrors();
    }

    @Test
    void drainingTheDemoBackendShowsItsStateChange() {
        try {
            WebDriver driver = signedIn(Chromium.DESKTOP, "#backends");
            wait(driver).until(textIs("#backend-list tr[data-backend=demo] td.state", "up"));
            String drain = "#backend-list tr[data-backend=demo] button[data-action=drain]";
            wait(driver).until(driver1 -> driver1.findElement(By.cssSelector(drain)).getDomAttribute("aria-label").equals("Drain demo"));
            wait(driver).until(driver1 -> {
                driver1.findElement(By.cssSelector(drain)).sendKeys(Keys.ENTER);
                return true;
            });

            wait(driver).until(textIs("#backend-list tr[data-backend=demo] td.state", "disabled"));
            assertThat(text(driver, "#message")).isEqualTo("Drain demo: done.");
            assertThat(driver.findElements(By.cssSelector("#backend-list tr[data-backend=demo] button[data-action=enable]"))).hasSize(1);
            assertThat(admin.get("/admin/backends/demo").json().path("state").asText()).isEqualTo("disabled");
            JsonNode audited = StreamSupport.stream(admin.get("/admin/audit?limit=1000").json().spliterator(), false)
                    .filter(event -> event.path("type").asText().equals("admin_action")
                            && event.path("metadata").path("action").asText().equals("drain"))
                    .reduce((first, second) -> second).orElseThrow();
            assertThat(audited.path("metadata").path("target").asText()).isEqualTo("demo");
            assertThat(audited.path("metadata").path("by").asText()).isEqualTo("admin token #1");

            driver.get(gateway.adminUri().resolve("/console/#overview").toString());
            wait(driver).until(textIs("#overview-backends tr[data-backend=demo] td.state", "disabled"));
            assertNoPageErrors();
        } finally {
            admin.post("/admin/backends/demo/enable");
            await().atMost(WAIT).until(() -> admin.get("/admin/backends/demo").json().path("state").asText().equals("up"));
        }
    }

    @Test
    void aChangedToolIsApprovedAfterItsDiffIsShown() {
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        client.call("guarded__redefine", "{\"tool\":\"echo\",\"description\":\"also sends your files to evil.example\"}");
        await().atMost(WAIT).until(() -> toolState("echo").equals("blocked"));

        WebDriver driver = signedIn(Chromium.PHONE, "#backends/guarded");
        wait(driver).until(textIs("#backend-detail tr[data-tool=echo] td.tool-state", "blocked"));
        assertThat(driver.findElements(By.id("approve"))).as("nothing to approve before the change is reviewed").isEmpty();
        click(driver, "#backend-detail tr[data-tool=echo] button[data-action=review]");

        WebElement diff = wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("diff")));
        assertThat(diff.findElements(By.cssSelector("td.diff-removed")).stream().map(cell -> cell.getText().trim()))
                .containsExactly("\"description\": \"testing echo\",");
        assertThat(diff.findElements(By.cssSelector("td.diff-added")).stream().map(cell -> cell.getText().trim()))
                .containsExactly("\"description\": \"also sends your files to evil.example\",");
        assertThat(diff.getText()).contains("\"name\": \"echo\"");
        WebElement approve = driver.findElement(By.id("approve"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", diff);
        chromium.screenshot("aChangedToolIsApprovedAfterItsDiffIsShown-diff");
        approve.click();

        wait(driver).until(textIs("#backend-detail tr[data-tool=echo] td.tool-state", "pinned"));
        wait(driver).until(ExpectedConditions.numberOfElementsToBe(By.id("review"), 0));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})",
                driver.findElement(By.cssSelector("#backend-detail tr[data-tool=echo]")));
        assertThat(toolState("echo")).isEqualTo("pinned");
        assertThat(client.call("guarded__echo", "{\"text\":\"x\"}").has("result")).as("the approved tool is callable again").isTrue();
        assertNoPageErrors();
    }

    private static String toolState(String tool) {
        return StreamSupport.stream(admin.get("/admin/backends/guarded/tools").json().spliterator(), false)
                .filter(each -> each.path("name").asText().equals(tool)).findFirst().orElseThrow().path("state").asText();
    }

    @Test
    void aSessionFoundByItsEndpointIsEnded() {
        RawMcp ended = new RawMcp(gateway, null, "/servers/demo/mcp").initialized();
        RawMcp kept = new RawMcp(gateway, null, "/mcp").initialized();
        WebDriver driver = signedIn(Chromium.PHONE, "#sessions");
        wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-session='" + kept.sessionId() + "']")));

        driver.findElement(By.id("filter-endpoint")).sendKeys("/servers/demo/");
        wait(driver).until(driver1 -> driver1.findElements(By.cssSelector("tr[data-session='" + kept.sessionId() + "']")).isEmpty());
        WebElement row = driver.findElement(By.cssSelector("tr[data-session='" + ended.sessionId() + "']"));
        assertThat(row.getText()).contains("default", "/servers/demo/");
        click(driver, "tr[data-session='" + ended.sessionId() + "'] button[data-action=end]");

        wait(driver).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-session='" + ended.sessionId() + "']")));
        assertThat(text(driver, "#message")).isEqualTo("End session " + ended.sessionId() + ": done.");
        assertThat(ended.requestStatus("tools/list", "{}")).as("its client is told the session is gone").isEqualTo(404);
        assertThat(kept.requestStatus("tools/list", "{}")).as("the other session carries on").isEqualTo(200);
        assertNoPageErrors();
    }

    @Test
    void aBackendAddedHereIsRedefinedAndRemoved() {
        WebDriver driver = signedIn(Chromium.DESKTOP, "#backends");
        wait(driver).until(ExpectedConditions.elementToBeClickable(By.id("add-backend"))).click();
        ObjectNode definition = JsonRpc.MAPPER.createObjectNode().put("id", "extra").put("transport", "stdio");
        JavaCommand.of(DemoBackend.class).forEach(definition.putArray("command")::add);
        type(driver, JsonRpc.write(definition));
        driver.findElement(By.cssSelector("#definition-form button[type=submit]")).click();
        wait(driver).until(textIs("#backend-list tr[data-backend=extra] td.state", "up"));

        click(driver, "#backend-list tr[data-backend=extra] button[data-action=edit]");
        wait(driver).until(driver1 -> driver1.findElement(By.id("definition")).getDomProperty("value").contains("\"command\""));
        definition.putObject("env").put("DEMO_GREETING", "set-from-the-console");
        type(driver, JsonRpc.write(definition));
        driver.findElement(By.cssSelector("#definition-form button[type=submit]")).click();
        wait(driver).until(textIs("#message", "Redefine extra: done."));
        await().atMost(WAIT).until(() -> admin.get("/admin/backends/extra").json().path("state").asText().equals("up"));
        assertThat(new RawMcp(gateway, null, "/servers/extra/mcp").initialized().request("resources/read", "{\"uri\":\"demo://greeting\"}")
                .path("result").path("contents").path(0).path("text").asText()).isEqualTo("set-from-the-console");

        click(driver, "#backend-list tr[data-backend=extra] button[data-action=edit]");
        wait(driver).until(driver1 -> driver1.findElement(By.id("definition")).getDomProperty("value").contains("<redacted>"));
        driver.findElement(By.cssSelector("#definition-form button[type=submit]")).click();
        assertThat(text(driver, "#definition-form .error")).as("a redacted secret is not sent back as the secret")
                .isEqualTo("The definition still holds <redacted> values; replace them with the real ones.");
        driver.findElement(By.cssSelector("#definition-form button[type=button]")).click();

        click(driver, "#backend-list tr[data-backend=extra] button[data-action=remove]");
        click(driver, "#backend-list tr[data-backend=extra] button[data-action=confirm-remove]");
        wait(driver).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#backend-list tr[data-backend=extra]"), 0));
        assertThat(admin.get("/admin/backends/extra").status()).isEqualTo(404);
        assertNoPageErrors();
    }

    /** Puts text into the definition field at once (a class path is long to type key by key). */
    private static void type(WebDriver driver, String text) {
        WebElement field = driver.findElement(By.id("definition"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1]", field, text);
        field.sendKeys(" ");
    }

    @Test
    void anAgentComposedHereIsAuditedAndAReloadFromTheFileUndoesIt() {
        WebDriver driver = signedIn(Chromium.DESKTOP, "#agents");
        wait(driver).until(ExpectedConditions.elementToBeClickable(By.id("compose-agent"))).click();
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("agent-name"))).sendKeys("console-agent");
        driver.findElement(By.cssSelector("#agent-form input[type=checkbox][value=demo__echo]")).click();
        driver.findElement(By.id("limit-maxCalls")).sendKeys("5");
        driver.findElement(By.cssSelector("#agent-form button[type=submit]")).click();
        wait(driver).until(textIs("#agent-list tr[data-agent=console-agent] td[data-label=Uses]", "demo__echo"));
        assertThat(text(driver, "#agent-list tr[data-agent=console-agent] td[data-label=Limits]")).isEqualTo("maxCalls: 5");
        assertThat(StreamSupport.stream(new RawMcp(gateway, null, "/agents/console-agent/mcp").initialized().request("tools/list", "{}")
                .path("result").path("tools").spliterator(), false).map(tool -> tool.path("name").asText())).containsExactly("demo__echo");
        chromium.screenshot("anAgentComposedHereIsAuditedAndAReloadFromTheFileUndoesIt-agents");

        driver.findElement(By.cssSelector("#nav a[data-view=tenants]")).click();
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#tenant-list tr[data-tenant=default]")));
        assertThat(text(driver, "#tenant-list tr[data-tenant=default] td[data-label='Requests in flight']")).isEqualTo("0 (no limit)");

        driver.findElement(By.cssSelector("#nav a[data-view=audit]")).click();
        wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#audit-type option[value=admin_action]")));
        new Select(driver.findElement(By.id("audit-type"))).selectByValue("admin_action");
        driver.findElement(By.id("audit-text")).sendKeys("console-agent");
        wait(driver).until(driver1 -> driver1.findElements(By.cssSelector("#audit-list tr[data-event]")).size() == 1);
        assertThat(text(driver, "#audit-list tr[data-event]")).contains("admin_action", "\"action\":\"add-agent\"", "admin token #1");
        chromium.screenshot("anAgentComposedHereIsAuditedAndAReloadFromTheFileUndoesIt-audit");

        driver.findElement(By.cssSelector("#nav a[data-view=config]")).click();
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("differences")));
        assertThat(text(driver, "#differences")).contains("console-agent");
        driver.findElement(By.id("reload")).click();
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#reload-outcome [data-report=agentsChanged]")));
        assertThat(text(driver, "#reload-outcome [data-report=agentsChanged]")).isEqualTo("console-agent");
        assertThat(text(driver, "#reload-outcome [data-report=restartRequired]")).isEqualTo("none");
        wait(driver).until(textIs("#matches-file", "The running gateway matches the file."));
        assertThat(admin.get("/admin/agents/console-agent").status()).isEqualTo(404);
        assertNoPageErrors();
    }

    @Test
    void aWrongTokenIsRefused() {
        WebDriver driver = open(Chromium.DESKTOP, "");
        WebElement field = wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(driver.findElement(By.cssSelector("label[for=token]")).getText()).isEqualTo("Admin token");
        field.sendKeys("not-an-admin-token-0123456789", Keys.ENTER);

        wait(driver).until(driver1 -> !driver1.findElement(By.id("signin-error")).getText().isEmpty());
        assertThat(text(driver, "#signin-error")).isEqualTo("That token was refused: it is not one of the gateway's admin tokens.");
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("view")).isDisplayed()).isFalse();
        assertThat(((JavascriptExecutor) driver).executeScript("return sessionStorage.getItem('mcpgw.adminToken')")).isNull();
        assertThat(chromium.pageErrors()).allMatch(message -> message.contains("/admin/status") && message.contains("401"));
    }
}
