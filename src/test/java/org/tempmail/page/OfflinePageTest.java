package org.tempmail.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;

class OfflinePageTest {
    private static final String SECRET = "the-secret-that-stays-home";
    private static final PageSettings SETTINGS = PageSettings.from(new AddressSettings(SchemeName.MD5,
            new Secret(SECRET), 12, "temp.example.org", "owner@example.org", 2, ZoneId.of("Europe/Berlin"), "+"));

    @Test
    void thePolicyAllowsExactlyTheInlineScriptAndStyle() {
        String page = OfflinePage.render(SETTINGS);
        String policy = only(page, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">");
        String script = only(page, "(?s)<script>(.*)</script>");
        String style = only(page, "(?s)<style>(.*)</style>");
        assertTrue(policy.contains("script-src '" + OfflinePage.hash(script) + "'"), policy);
        assertTrue(policy.contains("style-src '" + OfflinePage.hash(style) + "'"), policy);
        for (String directive : List.of("default-src 'none'", "connect-src 'none'", "img-src 'none'",
                "form-action 'none'", "base-uri 'none'")) {
            assertTrue(policy.contains(directive), policy);
        }
        assertFalse(policy.contains("unsafe"), policy);
    }

    @Test
    void loadsNothingFromElsewhere() {
        Matcher reference = Pattern.compile("(?:src|href|action)\\s*=\\s*\"([^\"]*)\"").matcher(
                OfflinePage.render(SETTINGS));
        while (reference.find()) {
            assertEquals("data:,", reference.group(1), "the one reference: an empty icon, so none is fetched");
        }
    }

    @Test
    void runsTheJavaScriptSnippetOwnersCopy() throws Exception {
        String snippet = Files.readString(Path.of("mint", "mint.js"), StandardCharsets.UTF_8);
        assertTrue(OfflinePage.render(SETTINGS).contains(snippet), "mint/mint.js, byte for byte");
    }

    @Test
    void holdsTheSettingsButNeverTheSecret() {
        String page = OfflinePage.render(SETTINGS);
        assertTrue(page.contains("{\"domain\": \"temp.example.org\", \"scheme\": \"md5\", \"length\": 12, "
                + "\"validDays\": 2, \"timeZone\": \"Europe/Berlin\"}"), page);
        assertFalse(page.contains(SECRET));
    }

    @Test
    void aDomainCannotEndTheScriptOrTheTitle() {
        String page = OfflinePage.render(new PageSettings("x</script><img src=//evil>\".example", SchemeName.MD5, 8,
                2, "UTC"));
        assertEquals(1, page.split("</script>", -1).length - 1, "one script element, ended once");
        assertFalse(page.contains("<img"));
        assertTrue(page.contains("\"x\\u003c/script\\u003e"), "escaped in the script");
    }

    @Test
    void aZoneMustHaveANameBrowsersKnow() {
        assertEquals("UTC", PageSettings.zoneName(ZoneOffset.UTC));
        assertEquals("UTC", PageSettings.zoneName(ZoneId.of("UTC")));
        assertEquals("UTC", PageSettings.zoneName(ZoneId.of("Etc/UTC")));
        IllegalArgumentException offset = assertThrows(IllegalArgumentException.class,
                () -> PageSettings.zoneName(ZoneOffset.ofHours(2)));
        assertTrue(offset.getMessage().contains("set TIMEZONE"), offset.getMessage());
    }

    private static String only(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), regex);
        String found = matcher.group(1);
        assertFalse(matcher.find(), "more than one match of " + regex);
        return found;
    }
}
