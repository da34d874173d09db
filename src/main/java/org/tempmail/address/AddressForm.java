package org.tempmail.address;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one reading of an address that the socketmap and deliver share, so that both judge every form Postfix can
 * hand them alike. smtpd and trivial-rewrite ask a table with the quoted form of an address first and then with
 * its unquoted form (postfix/src/global/mail_addr_find.c); pipe(8) with flag q passes the quoted form
 * (quote_822_local.c: a local part that is not a dot-string is put in double quotes, with {@code "} and
 * {@code \} escaped); the case is as the sender wrote it; and a socketmap gets only the full key, extension and
 * all. Here a quoted local part is unquoted (repeatedly, so that the quoted and the unquoted form of any local
 * part read the same), the address lowercased, and an extension after one of the delimiter characters set
 * aside, as Postfix's split_addr does: at the first delimiter, never at the first character.
 */
public final class AddressForm {
    private static final Pattern DOT_ATOM =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

    private final String delimiters;

    /** {@code delimiters}: the characters that start an extension (RECIPIENT_DELIMITER); empty for none. */
    public AddressForm(String delimiters) {
        this.delimiters = delimiters;
    }

    /**
     * An address as read: {@code address} is the whole address unquoted and lowercase; {@code baseAddress} the
     * same without its extension, when a delimiter splits the local part; {@code extension} the text after the
     * delimiter as written (unquoted), when there is any.
     */
    public record Reading(String address, Optional<String> baseAddress, Optional<String> extension) {
    }

    /**
     * The reading of an address, or empty when it cannot be one of ours: no {@code @}, an empty local part or
     * domain, or a character outside printable ASCII once unquoted (the socketmap never sees those either).
     */
    public Optional<Reading> read(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return Optional.empty();
        }
        String localPart = unquote(address.substring(0, at));
        String domain = address.substring(at + 1);
        if (localPart.isEmpty() || !isPrintableAscii(localPart) || !isPrintableAscii(domain)) {
            return Optional.empty();
        }
        String suffix = "@" + domain.toLowerCase(Locale.ROOT);
        String whole = localPart.toLowerCase(Locale.ROOT) + suffix;
        int delimiter = firstDelimiter(localPart);
        if (delimiter <= 0) {
            return Optional.of(new Reading(whole, Optional.empty(), Optional.empty()));
        }
        String extension = localPart.substring(delimiter + 1);
        return Optional.of(new Reading(whole,
                Optional.of(localPart.substring(0, delimiter).toLowerCase(Locale.ROOT) + suffix),
                extension.isEmpty() ? Optional.empty() : Optional.of(extension)));
    }

    /** RFC 5321's Dot-string: the local parts that never need quoting, so every MTA passes them on unchanged. */
    public static boolean isDotAtom(String localPart) {
        return DOT_ATOM.matcher(localPart).matches();
    }

    /**
     * The local part with its quoting removed: while it is one RFC 5321 quoted-string, its content with the
     * backslash escapes resolved. Anything else is taken as it is (the unquoted form Postfix also sends).
     */
    public static String unquote(String localPart) {
        String current = localPart;
        for (String content = quotedContent(current); content != null; content = quotedContent(current)) {
            current = content;
        }
        return current;
    }

    /** The content of a quoted-string (DQUOTE *(qtextSMTP / quoted-pairSMTP) DQUOTE), or null when it is none. */
    private static String quotedContent(String text) {
        int end = text.length() - 1;
        if (end < 1 || text.charAt(0) != '"' || text.charAt(end) != '"') {
            return null;
        }
        StringBuilder content = new StringBuilder(end);
        for (int i = 1; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (++i == end) {
                    return null;
                }
                c = text.charAt(i);
            } else if (c == '"') {
                return null;
            }
            if (c < 0x20 || c > 0x7e) {
                return null;
            }
            content.append(c);
        }
        return content.toString();
    }

    private int firstDelimiter(String localPart) {
        for (int i = 0; i < localPart.length(); i++) {
            if (delimiters.indexOf(localPart.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isPrintableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < 0x20 || text.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
