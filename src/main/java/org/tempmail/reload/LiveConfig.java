package org.tempmail.reload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.tempmail.config.Config;
import org.tempmail.config.ConfigException;
import org.tempmail.config.ConfigFingerprint;
import org.tempmail.config.ConfigLoader;
import org.tempmail.config.Key;
import org.tempmail.config.RestartSettings;

/**
 * A running server's configuration, following its files: reloaded when asked (SIGHUP), when a poll finds one of
 * its files changed, and at once when a delivery finds them changed. An edit with an error keeps the last good
 * configuration serving. Readers take {@link #current()} once per lookup or delivery, so a reload never changes
 * one under way.
 */
public final class LiveConfig<T> implements AutoCloseable {
    /** What a configuration is served with. */
    public interface Serving<T> {
        /** What serves {@code config}; {@code running}: what it replaces, whose connections it may reuse. */
        T start(Config config, Optional<T> running);

        /** Lets go of what a reload replaced, once nothing started before can still use it. */
        void retire(T replaced, T successor);
    }

    /** A configuration in force: what was read, what serves it, and its files as they were read. */
    public record Loaded<T>(Config config, T served, ConfigFingerprint fingerprint) {
        /** The digest of tempmail.cf as it was read, as {@code sha256sum} starts it. */
        public String version() {
            return fingerprint.shortDigest(config.source());
        }
    }

    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    private static final int READ_ATTEMPTS = 3;
    /** Never equal to a fingerprint taken: files that changed while they were read are read again. */
    private static final ConfigFingerprint UNSETTLED = new ConfigFingerprint(Map.of());

    private final Path path;
    private final Serving<T> serving;
    private final Consumer<String> log;
    private final Object wakeUp = new Object();
    private final Thread watcher;
    private volatile Loaded<T> current;
    private volatile boolean closing;
    private boolean reloadRequested;
    private String lastFailure;
    private ConfigFingerprint failedFingerprint;

    private LiveConfig(Path path, Serving<T> serving, Consumer<String> log, Loaded<T> first) {
        this.path = path;
        this.serving = serving;
        this.log = log;
        this.current = first;
        this.watcher = new Thread(this::watchLoop, "config-watcher");
        watcher.setDaemon(true);
    }

    /** Reads the file for the first time; an error here stops the server from starting. */
    public static <T> LiveConfig<T> load(Path path, Serving<T> serving, Consumer<String> log)
            throws ConfigException {
        Read read = read(path, List.of());
        read.config().warnings().forEach(warning -> log.accept("warning: " + warning));
        T served = serving.start(read.config(), Optional.empty());
        return new LiveConfig<>(path, serving, log, new Loaded<>(read.config(), served, read.fingerprint()));
    }

    /** The configuration in force; take it once per lookup or delivery. */
    public Loaded<T> current() {
        return current;
    }

    /** Starts polling the files every {@link #POLL_INTERVAL}. */
    public void start() {
        watcher.start();
    }

    /** Reloads soon, changed or not (SIGHUP); safe to call from a signal handler. */
    public void requestReload() {
        synchronized (wakeUp) {
            reloadRequested = true;
            wakeUp.notifyAll();
        }
    }

    /**
     * Reloads now if the files differ from those in force: for a delivery whose deliver process may already
     * have read the edit. An edit already found broken is not read again here; the poll retries it.
     */
    public void refresh(String reason) {
        refresh(reason, false);
    }

    @Override
    public void close() {
        closing = true;
        watcher.interrupt();
    }

    private void refresh(String reason, boolean retryBroken) {
        Loaded<T> loaded = current;
        ConfigFingerprint now = ConfigFingerprint.of(loaded.config().files());
        if (now.equals(loaded.fingerprint())) {
            return;
        }
        synchronized (this) {
            if (current != loaded || (!retryBroken && now.equals(failedFingerprint))) {
                return;
            }
            reload(reason, now);
        }
    }

    /** Reads the files again, whether they changed or not; asked for, it logs its failure again too. */
    synchronized void reload(String reason) {
        lastFailure = null;
        reload(reason, ConfigFingerprint.of(current.config().files()));
    }

    /** {@code seen}: the files as they looked before reading; a failure is logged once per files and error. */
    private void reload(String reason, ConfigFingerprint seen) {
        Loaded<T> running = current;
        Loaded<T> next;
        RestartSettings.Applied applied;
        try {
            Read read = read(path, running.config().files().subList(1, running.config().files().size()));
            applied = RestartSettings.keepRunning(running.config(), read.config());
            T served = serving.start(applied.config(), Optional.of(running.served()));
            next = new Loaded<>(applied.config(), served, read.fingerprint());
        } catch (ConfigException | RuntimeException e) {
            String failure = e instanceof ConfigException ? e.getMessage() : "internal error: " + e;
            if (!failure.equals(lastFailure) || !seen.equals(failedFingerprint)) {
                log.accept("reload of " + path + " failed (" + reason + "); still serving the configuration of "
                        + "sha256 " + running.version() + ": " + failure);
            }
            lastFailure = failure;
            failedFingerprint = seen;
            return;
        }
        lastFailure = null;
        failedFingerprint = null;
        current = next;
        log.accept("reloaded " + path + " (sha256 " + next.version() + ", " + reason + ")");
        for (String warning : next.config().warnings()) {
            log.accept("warning: " + warning);
        }
        for (Key key : applied.keptBack()) {
            log.accept("reload: " + key + " changed, which needs a restart (systemctl restart tempmail); "
                    + "keeping the running value until then");
        }
        serving.retire(running.served(), next.served());
    }

    private void watchLoop() {
        while (!closing) {
            boolean requested;
            synchronized (wakeUp) {
                try {
                    if (!reloadRequested) {
                        wakeUp.wait(POLL_INTERVAL.toMillis());
                    }
                } catch (InterruptedException e) {
                    return;
                }
                requested = reloadRequested;
                reloadRequested = false;
            }
            try {
                if (requested) {
                    reload("SIGHUP");
                } else {
                    refresh("the file changed", true);
                }
            } catch (RuntimeException e) {
                log.accept("reload of " + path + ": internal error: " + e + "; still serving sha256 "
                        + current.version());
            }
        }
    }

    private record Read(Config config, ConfigFingerprint fingerprint) {
    }

    /**
     * Loads the file with the state its files had before: read again when they changed while being read, and
     * when the file names a secret file not watched yet. {@code alsoWatched}: the secret files known so far.
     */
    private static Read read(Path path, List<Path> alsoWatched) throws ConfigException {
        Set<Path> watched = new LinkedHashSet<>();
        watched.add(path);
        watched.addAll(alsoWatched);
        for (int attempt = 1; ; attempt++) {
            ConfigFingerprint before = ConfigFingerprint.of(watched);
            Config config = ConfigLoader.load(path);
            ConfigFingerprint after = ConfigFingerprint.of(config.files());
            if (before.includes(after)) {
                return new Read(config, after);
            }
            if (attempt == READ_ATTEMPTS) {
                return new Read(config, UNSETTLED);
            }
            watched.addAll(config.files());
        }
    }
}
