package org.tempmail.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How deliver rewrites headers and resubmits mail. */
public record DeliverySettings(
        Optional<String> subjectTag,
        List<String> stripHeaders,
        Path sendmail,
        Duration sendmailTimeout) {
}
