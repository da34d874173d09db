package org.tempmail.delivery;

import java.time.Instant;
import java.util.Optional;

/**
 * When this Postfix took the message in: the date of the Received field that names its queue id
 * ("... with ESMTP id 4Abc12; Sun, 22 Nov 2026 10:00:00 +0100").
 */
public final class ArrivalTime {
    private ArrivalTime() {
    }

    public static Optional<Instant> from(Iterable<HeaderField> fields, String queueId) {
        if (queueId == null || queueId.isBlank()) {
            return Optional.empty();
        }
        String id = queueId.strip();
        for (HeaderField field : fields) {
            if (!field.isNamed("Received")) {
                continue;
            }
            String value = field.value();
            int semicolon = value.lastIndexOf(';');
            if (semicolon > 0 && namesQueueId(value.substring(0, semicolon), id)) {
                return MailDates.parse(value.substring(semicolon + 1));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code text} has the word "id" (any case), white space, then {@code id} followed by white space, a
     * semicolon or the end. Scanned by hand rather than with a pattern made for each message's queue id.
     */
    static boolean namesQueueId(String text, String id) {
        for (int at = text.length() - 2; at >= 0; at--) {
            if (!text.regionMatches(true, at, "id", 0, 2) || at > 0 && isWordCharacter(text.charAt(at - 1))) {
                continue;
            }
            int start = at + 2;
            int i = start;
            while (i < text.length() && isSpace(text.charAt(i))) {
                i++;
            }
            int end = i + id.length();
            if (i > start && text.startsWith(id, i)
                    && (end == text.length() || isSpace(text.charAt(end)) || text.charAt(end) == ';')) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWordCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
