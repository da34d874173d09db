package org.tempmail.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page an owner opens on a phone or computer to make the day's addresses without asking the server: one HTML
 * file with its style and script inline (mint.js, the JavaScript snippet of mint/, and page.js), the settings baked
 * in. Its Content-Security-Policy allows only that inline style and script, by their hashes, and no connection,
 * image, font, frame or form target at all: whatever a script on it did, the browser would let it send nothing.
 */
public final class OfflinePage {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z]+)}}");

    private OfflinePage() {
    }

    public static String render(PageSettings settings) {
        String style = resource("page.css");
        String script = resource("mint.js") + "\nconst TEMPMAIL_PAGE_SETTINGS = " + settingsJson(settings) + ";\n\n"
                + resource("page.js");
        if (script.toLowerCase(Locale.ROOT).contains("</script")) {
            throw new IllegalStateException("the page's script would end its own script element");
        }
        String policy = "default-src 'none'; script-src '" + hash(script) + "'; style-src '" + hash(style) + "'; "
                + "img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'";
        Map<String, String> values = Map.of("CSP", policy, "DOMAIN", html(settings.domain()), "STYLE", style,
                "SCRIPT", script);
        Matcher placeholder = PLACEHOLDER.matcher(resource("page.html"));
        StringBuilder page = new StringBuilder();
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            if (value == null) {
                throw new IllegalStateException("page.html names an unknown placeholder " + placeholder.group());
            }
            placeholder.appendReplacement(page, Matcher.quoteReplacement(value));
        }
        return placeholder.appendTail(page).toString();
    }

    /** The settings as a JavaScript object; strings escaped so that nothing in them can end the script. */
    static String settingsJson(PageSettings settings) {
        return "{\"domain\": " + jsString(settings.domain()) + ", \"scheme\": "
                + jsString(settings.scheme().configName()) + ", \"length\": " + settings.length()
                + ", \"validDays\": " + settings.validDays() + ", \"timeZone\": " + jsString(settings.timeZone())
                + "}";
    }

    private static String jsString(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 0x80 || c == '.' || c == '-' || c == '_' || c == '/'
                    || c == '+' || c == ' ') {
                quoted.append(c);
            } else {
                quoted.append(String.format("\\u%04x", (int) c));
            }
        }
        return quoted.append('"').toString();
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** A CSP source for exactly this inline content (CSP Level 2: SHA-256 over its UTF-8 bytes, base64). */
    static String hash(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = OfflinePage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks org/tempmail/page/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
