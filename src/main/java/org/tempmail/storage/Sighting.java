package org.tempmail.storage;

import java.util.Optional;

/**
 * What recording one delivery learned: the address's first sender (possibly this one) and whether this queue id
 * was counted now, or had been counted by an earlier attempt.
 */
public record Sighting(Optional<String> firstSender, boolean counted) {
}
