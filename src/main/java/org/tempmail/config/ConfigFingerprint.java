package org.tempmail.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the files of a configuration are like: identity, modification time, size and a digest of the content, so
 * that an edit in place, a replaced file and an edit within the same clock tick all show as a change.
 */
public record ConfigFingerprint(Map<Path, FileState> files) {

    /** One file; a file that cannot be read has the state that says why. */
    public record FileState(String identity, long modifiedNanos, long size, String sha256) {
        static final FileState MISSING = new FileState("missing", 0, -1, "");

        static FileState unreadable(IOException e) {
            return new FileState("unreadable: " + e.getClass().getSimpleName(), 0, -1, "");
        }
    }

    public ConfigFingerprint {
        files = Map.copyOf(files);
    }

    /** The files as they are now. */
    public static ConfigFingerprint of(Collection<Path> paths) {
        Map<Path, FileState> states = new LinkedHashMap<>();
        for (Path path : paths) {
            states.put(path, stateOf(path));
        }
        return new ConfigFingerprint(states);
    }

    /** Whether every file of {@code other} is here, in the same state. */
    public boolean includes(ConfigFingerprint other) {
        return files.entrySet().containsAll(other.files.entrySet());
    }

    /** The start of the digest of {@code path}'s content, as {@code sha256sum} prints it; for log lines. */
    public String shortDigest(Path path) {
        FileState state = files.get(path);
        return state == null || state.sha256().isEmpty() ? "none" : state.sha256().substring(0, 12);
    }

    private static FileState stateOf(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            byte[] content = Files.readAllBytes(path);
            return new FileState(String.valueOf(attributes.fileKey()),
                    attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    attributes.size(), HexFormat.of().formatHex(sha256().digest(content)));
        } catch (NoSuchFileException e) {
            return FileState.MISSING;
        } catch (IOException e) {
            return FileState.unreadable(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
