package org.tempmail.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tempmail.config.Config;
import org.tempmail.reload.LiveConfig;
import org.tempmail.socketmap.SocketmapResponder;
import org.tempmail.storage.CapabilityResolver;
import org.tempmail.storage.CapabilityStore;

/**
 * Builds the server's state for each configuration it loads. The capability store is kept across reloads while
 * DATABASE stays the same, so a reload opens no connection; one replaced by another DATABASE is closed only
 * {@code beyondSendmailTimeout} after SENDMAIL_TIMEOUT, when no lookup or delivery that started before the reload
 * can still be using it (handed-over deliveries are cut off before).
 */
final class ServerStates implements LiveConfig.Serving<ServerState> {
    private final Duration beyondSendmailTimeout;
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "retired-database-closer");
        thread.setDaemon(true);
        return thread;
    });

    ServerStates(Duration beyondSendmailTimeout) {
        this.beyondSendmailTimeout = beyondSendmailTimeout;
    }

    @Override
    public ServerState start(Config config, Optional<ServerState> running) {
        CapabilityStore store = running.filter(state -> state.config().database().equals(config.database()))
                .map(state -> state.resolver().store())
                .orElseGet(() -> CapabilityStore.open(config.database()));
        CapabilityResolver resolver = Resolvers.create(config, store);
        return new ServerState(config, resolver, new SocketmapResponder(resolver, config.socketmap()));
    }

    @Override
    public void retire(ServerState replaced, ServerState successor) {
        CapabilityStore old = replaced.resolver().store();
        if (old != successor.resolver().store()) {
            Duration delay = replaced.config().delivery().sendmailTimeout().plus(beyondSendmailTimeout);
            closer.schedule(old::close, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
