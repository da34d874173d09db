package org.tempmail.config;

import java.time.LocalDate;

/**
 * A secret being rotated out: it still validates the addresses it made for days up to {@code lastDay}, so those
 * stay valid until their window ends, and makes no new ones.
 */
public record PreviousSecret(Secret secret, LocalDate lastDay) {
}
