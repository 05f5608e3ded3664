package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.testing.Browser;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import dev.claudemaxapi.testing.UpstreamReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless Chromium against the real CLI: it loads without console errors, shows the
 * requests made while it is open, draws its charts from the usage history, and signs in with a key kept in session
 * storage, never a cookie. A screenshot goes to {@code target/}.
 */
class StatusPageEndToEndTest {
    private static final boolean POOLED = LiveProxy.defaultPool().size() > 0;

    @TempDir
    Path scratch;
    ChromeDriver browser;
    LiveProxy proxy;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100));
    }

    @Test
    void thePageShowsLiveTrafficAndUsageAndDrawsItsCharts() throws Exception {
        proxy = LiveProxy.start(scratch);
        proxy.upstream.always(new UpstreamReply.Text("Hello from the fake upstream", 3, 1200, 85, Duration.ZERO));
        proxy.post("/v1/chat/completions", "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}");
        browser = Browser.start(scratch.resolve("profile"));

        browser.get(proxy.baseUrl() + "/");
        waiting().until(page -> page.findElement(By.id("recent")).getText().contains("/v1/chat/completions"));
        proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"And you?\"}]}");
        waiting().until(page -> page.findElement(By.id("recent")).getText().contains("/v1/messages"));

        List<WebElement> bars = browser.findElements(By.cssSelector("#chart-hours rect"));
        assertThat(bars).isNotEmpty();
        assertThat(bars).anyMatch(bar -> Double.parseDouble(bar.getAttribute("height")) > 10);
        assertThat(browser.findElement(By.id("requests-24h")).getText()).isEqualTo("2");
        assertThat(browser.findElement(By.id("recent")).getText()).contains("claude-sonnet-5-5").contains("200");
        assertThat(browser.findElement(By.id("summary")).getText()).contains("status ok");
        Path screenshot = Path.of("target", POOLED ? "status-page.png" : "status-page-pool-off.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
        assertThat(Browser.consoleErrors(browser)).isEmpty();
    }

    @Test
    void withKeysThePageAsksForOneAndKeepsItInSessionStorageOnly() {
        // the browser asks for the last day of usage by its own clock: the server's must agree
        try (TestServer server = TestServer.with(ScriptedEngine.replying("Hi")).apiKeys("page-key-0123456789")
                .clock(Clock.systemUTC()).start()) {
            browser = Browser.start(scratch.resolve("profile"));
            browser.get("http://127.0.0.1:" + server.port() + "/");

            waiting().until(page -> page.findElement(By.id("login")).isDisplayed());
            assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
            browser.findElement(By.id("key")).sendKeys("wrong-key");
            browser.findElement(By.cssSelector("#login button")).click();
            waiting().until(page -> page.findElement(By.id("login-error")).getText().contains("refused"));
            browser.findElement(By.id("key")).clear();
            browser.findElement(By.id("key")).sendKeys("page-key-0123456789");
            browser.findElement(By.cssSelector("#login button")).click();
            waiting().until(page -> page.findElement(By.id("app")).isDisplayed());

            assertThat(browser.executeScript("return sessionStorage.getItem('claude-max-api-key')"))
                    .isEqualTo("page-key-0123456789");
            assertThat(browser.manage().getCookies()).isEmpty();
            assertThat(Browser.consoleErrors(browser)).allMatch(error -> error.contains("401"));
        }
    }
}
