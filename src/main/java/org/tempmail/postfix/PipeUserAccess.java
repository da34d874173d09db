package org.tempmail.postfix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Whether the user pipe(8) runs deliver as can reach the files the master.cf entry names. A launcher in a
 * checkout under a private home directory (/root, a 0700 /home/NAME) looks fine to the person who printed the
 * entry, and every delivery then fails. Judged by the mode bits, as the kernel does without ACLs: owner, else
 * group, else other.
 */
public final class PipeUserAccess {
    private static final int READ = 4;
    private static final int EXECUTE = 1;

    /** A user as the kernel sees it: its uid and every group it is in. */
    public record Account(String name, int uid, Set<Integer> groups) {
    }

    private PipeUserAccess() {
    }

    /** The account by id(1), which asks the name service as Postfix does; empty when there is no such user. */
    public static Optional<Account> lookup(String name) throws IOException, InterruptedException {
        Optional<String> uid = id(name, "-u");
        Optional<String> groups = id(name, "-G");
        if (uid.isEmpty() || groups.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Account(name, Integer.parseInt(uid.get()), Arrays.stream(groups.get().split(" "))
                .map(Integer::valueOf).collect(Collectors.toUnmodifiableSet())));
    }

    private static Optional<String> id(String name, String what) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("id", what, "--", name).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return Optional.empty();
        }
        return process.exitValue() == 0 && out.matches("[0-9]+( [0-9]+)*") ? Optional.of(out) : Optional.empty();
    }

    /**
     * Why {@code account} cannot read {@code file} (and run it, when {@code execute}), naming the first directory
     * on the way that is closed to it; empty when it can.
     */
    public static Optional<String> problem(Account account, Path file, boolean execute) throws IOException {
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            return Optional.of(file + " does not exist");
        }
        for (Path directory = real.getRoot(); !directory.equals(real); directory = directory.resolve(
                real.getName(directory.getNameCount()))) {
            if (!allows(account, directory, EXECUTE)) {
                return Optional.of(file + " is out of reach: the directory " + directory + " (" + describe(directory)
                        + ") is closed to " + account.name());
            }
        }
        int needed = execute ? READ | EXECUTE : READ;
        if (!allows(account, real, needed)) {
            return Optional.of(account.name() + " may not " + (execute ? "run " : "read ") + file + " ("
                    + describe(real) + ")");
        }
        return Optional.empty();
    }

    private static boolean allows(Account account, Path path, int bits) throws IOException {
        if (account.uid() == 0) {
            return true;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode");
        int shift = account.uid() == (Integer) Files.getAttribute(path, "unix:uid") ? 6
                : account.groups().contains((Integer) Files.getAttribute(path, "unix:gid")) ? 3 : 0;
        return ((mode >> shift) & bits) == bits;
    }

    private static String describe(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode") & 07777;
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
        return String.format("mode %04o, owner %s, group %s", mode, attributes.owner().getName(),
                attributes.group().getName());
    }
}
