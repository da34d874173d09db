package org.tempmail.delivery;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

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
        Pattern namesQueueId = Pattern.compile("(?i:\\bid)\\s+" + Pattern.quote(queueId.strip()) + "(?=[\\s;]|$)");
        for (HeaderField field : fields) {
            if (!field.isNamed("Received")) {
                continue;
            }
            String value = field.value();
            int semicolon = value.lastIndexOf(';');
            if (semicolon > 0 && namesQueueId.matcher(value.substring(0, semicolon)).find()) {
                return MailDates.parse(value.substring(semicolon + 1));
            }
        }
        return Optional.empty();
    }
}
