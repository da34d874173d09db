package org.tempmail.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How deliver rewrites headers and resubmits mail; {@code deliverySocket}: where serve takes deliveries handed
 * over by deliver processes, when it does; {@code spoolDirectory}: where a message is held whole before
 * sendmail reads it.
 */
public record DeliverySettings(
        Optional<String> subjectTag,
        List<String> stripHeaders,
        Path sendmail,
        Duration sendmailTimeout,
        Optional<Path> deliverySocket,
        Path spoolDirectory) {
}
