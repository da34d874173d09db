package org.tempmail.socketmap;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.tempmail.address.BackendException;
import org.tempmail.address.Resolution;
import org.tempmail.address.Resolver;
import org.tempmail.config.SocketmapSettings;

/**
 * Answers socketmap requests from the resolver: which map was asked, and what it answers for valid, expired and
 * unknown addresses. Pure: no sockets, time passed in.
 */
public final class SocketmapResponder {
    private static final int MAX_NAME_SHOWN = 64;

    private final Resolver resolver;
    private final String aliasMap;
    private final String recipientMap;
    private final String transportMap;
    private final String accessMap;
    private final Reply transportFound;
    private final Reply accessValid;
    private final Reply accessExpired;

    public SocketmapResponder(Resolver resolver, SocketmapSettings settings) {
        this.resolver = resolver;
        this.aliasMap = settings.aliasMapName();
        this.recipientMap = settings.recipientMapName();
        this.transportMap = settings.transportMapName();
        this.accessMap = settings.accessMapName();
        this.transportFound = Reply.ok(settings.transport());
        this.accessValid = Reply.ok("DUNNO");
        this.accessExpired = Reply.ok("REJECT " + settings.accessExpiredText());
    }

    /** Answers one request payload, {@code name<space>key}, split at the first space. */
    public Reply answer(byte[] request, Instant at) {
        int space = indexOf(request, (byte) ' ');
        if (space < 0) {
            return Reply.perm("malformed request: expected \"name key\", got \"" + shown(request, request.length)
                    + "\"");
        }
        String map = new String(request, 0, space, StandardCharsets.ISO_8859_1);
        if (!isKnownMap(map)) {
            return Reply.perm("unknown map " + shown(request, space));
        }
        int keyStart = space + 1;
        if (!isPrintableAscii(request, keyStart)) {
            return Reply.NOT_FOUND;
        }
        return answer(map, new String(request, keyStart, request.length - keyStart, StandardCharsets.US_ASCII), at);
    }

    /** Answers a lookup of {@code key} in {@code map} at the instant {@code at}. */
    public Reply answer(String map, String key, Instant at) {
        if (!isKnownMap(map)) {
            return Reply.perm("unknown map " + map);
        }
        if (key.isEmpty() || key.equals("*")) {
            return Reply.NOT_FOUND;
        }
        Resolution resolution;
        try {
            resolution = resolver.resolve(key, at);
        } catch (BackendException e) {
            return Reply.temp("address backend unavailable: " + e.getMessage(),
                    "backend error for " + map + " lookup of " + key + ": " + e.getMessage() + "; answered TEMP");
        } catch (RuntimeException e) {
            return Reply.temp("internal error",
                    "internal error for " + map + " lookup of " + key + ": " + e + "; answered TEMP");
        }
        if (map.equals(accessMap)) {
            if (resolution instanceof Resolution.Valid) {
                return accessValid;
            }
            return resolution instanceof Resolution.Expired ? accessExpired : Reply.NOT_FOUND;
        }
        if (resolution instanceof Resolution.Valid valid) {
            return map.equals(transportMap) ? transportFound : Reply.ok(valid.target());
        }
        return Reply.NOT_FOUND;
    }

    private boolean isKnownMap(String map) {
        return map.equals(aliasMap) || map.equals(recipientMap) || map.equals(transportMap) || map.equals(accessMap);
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** Keys with control characters or 8-bit bytes cannot be temporary addresses. */
    private static boolean isPrintableAscii(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] < 0x20 || bytes[i] == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Client bytes made safe for a reply and a log line: printable ASCII, bounded length. */
    private static String shown(byte[] bytes, int end) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(end, MAX_NAME_SHOWN); i++) {
            int b = bytes[i] & 0xff;
            text.append(b >= 0x20 && b < 0x7f ? (char) b : '?');
        }
        return end > MAX_NAME_SHOWN ? text.append("...").toString() : text.toString();
    }
}
