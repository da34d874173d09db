package org.tempmail.delivery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;

/**
 * A private directory where a message is written whole before sendmail sees a byte of it: sendmail queues
 * whatever it has read when its input ends, so feeding it from a pipe would queue a truncated copy whenever the
 * writer dies mid-message. Files are named after the process that wrote them; a file whose process is gone
 * (killed while spooling) is removed by the next process that spools here.
 */
public final class Spool {
    private static final String SUFFIX = ".msg";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static final Duration RECHECK = Duration.ofMinutes(1);

    private final Path directory;
    private boolean checked;
    private long checkedAt;

    public Spool(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** A new empty file, readable by this user only; the caller deletes it. */
    public Path newFile() throws IOException {
        checkNowAndThen();
        return Files.createTempFile(directory, ProcessHandle.current().pid() + "-", SUFFIX);
    }

    /**
     * The directory's checks and the orphans' removal, on the first file and then at most every
     * {@link #RECHECK}: a server spooling message after message would otherwise list the directory for each.
     */
    private synchronized void checkNowAndThen() throws IOException {
        long now = System.nanoTime();
        if (checked && now - checkedAt < RECHECK.toNanos()) {
            return;
        }
        prepareDirectory();
        removeOrphans();
        checked = true;
        checkedAt = now;
    }

    /** Made if missing; refused unless it is a directory of this user's that no one else may enter. */
    private void prepareDirectory() throws IOException {
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Checked below, as a directory made by anyone else would be.
        }
        PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        String me = System.getProperty("user.name");
        if (!attributes.isDirectory() || !attributes.owner().getName().equals(me)
                || !attributes.permissions().equals(OWNER_ONLY)) {
            throw new IOException("the spool directory must be a directory owned by " + me + " with mode 0700");
        }
    }

    private void removeOrphans() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                if (writerIsGone(file.getFileName().toString())) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (NoSuchFileException e) {
                        // Another process removed it first.
                    }
                }
            }
        }
    }

    private static boolean writerIsGone(String name) {
        int dash = name.indexOf('-');
        if (dash <= 0) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(name.substring(0, dash))).isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
