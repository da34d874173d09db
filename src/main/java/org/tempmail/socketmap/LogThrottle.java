package org.tempmail.socketmap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Lets the first log line of a kind through, then at most one per interval, and says how many it held back.
 * A backend that fails fails for every lookup, hundreds a second on a busy host: the log should say so once a
 * minute, not drown. Thread-safe.
 */
final class LogThrottle {
    /** Kinds remembered at once; beyond, everything is forgotten, so memory stays bounded. */
    static final int MAX_KINDS = 64;

    private record Window(Instant opened, long heldBack) {
    }

    private final Clock clock;
    private final Duration interval;
    private final Map<String, Window> windows = new HashMap<>();

    LogThrottle(Clock clock, Duration interval) {
        this.clock = clock;
        this.interval = interval;
    }

    /** The line to log now, or empty when a line of this kind was logged less than an interval ago. */
    synchronized Optional<String> admit(String kind, String line) {
        Instant now = clock.instant();
        Window window = windows.get(kind);
        if (window != null && now.isBefore(window.opened().plus(interval))) {
            windows.put(kind, new Window(window.opened(), window.heldBack() + 1));
            return Optional.empty();
        }
        if (window == null && windows.size() >= MAX_KINDS) {
            windows.clear();
        }
        windows.put(kind, new Window(now, 0));
        if (window == null || window.heldBack() == 0) {
            return Optional.of(line);
        }
        return Optional.of(line + " (and " + window.heldBack() + " more like it since " + window.opened()
                + ", not logged)");
    }
}
