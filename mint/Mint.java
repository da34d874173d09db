import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The temporary address of a day, made from the shared secret: Java 17, one file, nothing else.
 *
 * <pre>
 *   TEMPMAIL_SECRET=... java Mint.java [YYYY-MM-DD ...]     default: today in TIMEZONE
 *   jshell Mint.java, then: Mint.address("secret", Mint.today("Europe/Berlin"), "temp.example.org", 8, "hmac-sha256")
 * </pre>
 *
 * The settings come from TEMPMAIL_DOMAIN, TEMPMAIL_LENGTH, TEMPMAIL_SCHEME, TEMPMAIL_TIMEZONE (empty: this
 * machine's zone); without TEMPMAIL_SECRET the secret is asked for on the console.
 */
public class Mint {
    public static String address(String secret, LocalDate day, String domain, int length, String scheme)
            throws GeneralSecurityException {
        int shortest = scheme.equals("md5") ? 1 : 8;
        int longest = scheme.equals("md5") ? 32 : 64;
        if (!(scheme.equals("md5") || scheme.equals("hmac-sha256")) || length < shortest || length > longest) {
            throw new IllegalArgumentException("scheme " + scheme + " with length " + length
                    + ": expected hmac-sha256 (8..64) or md5 (1..32)");
        }
        byte[] date = day.format(DateTimeFormatter.BASIC_ISO_DATE).getBytes(StandardCharsets.US_ASCII);
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        byte[] digest;
        if (scheme.equals("md5")) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(date);
            digest = md5.digest(key);
        } else {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            digest = hmac.doFinal(date);
        }
        return HexFormat.of().formatHex(digest).substring(0, length) + "@" + domain;
    }

    /** Today in the owner's zone (this machine's when empty). */
    public static LocalDate today(String timezone) {
        return LocalDate.now(timezone.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(timezone));
    }

    public static void main(String[] args) throws GeneralSecurityException {
        try {
            print(args);
        } catch (java.time.DateTimeException | IllegalArgumentException e) { // a bad date, zone, length or scheme
            System.err.println("Mint: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void print(String[] args) throws GeneralSecurityException {
        String secret = setting("TEMPMAIL_SECRET", "");
        if (secret.isEmpty()) {
            if (System.console() == null) {
                System.err.println("Mint: set TEMPMAIL_SECRET, or run me on a console to be asked for the secret");
                System.exit(2);
            }
            secret = new String(System.console().readPassword("secret: "));
        }
        String domain = setting("TEMPMAIL_DOMAIN", "temp.example.org");
        int length = Integer.parseInt(setting("TEMPMAIL_LENGTH", "8"));
        String scheme = setting("TEMPMAIL_SCHEME", "hmac-sha256");
        String timezone = setting("TEMPMAIL_TIMEZONE", "");
        if (args.length == 0) {
            args = new String[] {today(timezone).toString()};
        }
        for (String day : args) {
            System.out.println(address(secret, LocalDate.parse(day), domain, length, scheme));
        }
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
