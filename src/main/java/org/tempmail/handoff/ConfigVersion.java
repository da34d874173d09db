package org.tempmail.handoff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * Which configuration file, as it was when the server read it: a deliver process started with another file, or
 * after the file was edited, must deliver with what it reads itself.
 */
public record ConfigVersion(Object fileKey, FileTime modified, long size) {

    /** The file as it is now. */
    public static ConfigVersion of(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new ConfigVersion(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
    }

    /** Whether the file at {@code path} is this file, unchanged. */
    public boolean matches(Path path) {
        try {
            ConfigVersion now = of(path);
            return fileKey != null && Objects.equals(fileKey, now.fileKey) && modified.equals(now.modified)
                    && size == now.size;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
