package org.tempmail.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tempmail.config.Config;
import org.tempmail.reload.LiveConfig;
import org.tempmail.resolver.AssembledResolver;
import org.tempmail.resolver.ResolverAssembly;
import org.tempmail.socketmap.SocketmapResponder;
import org.tempmail.storage.CapabilityStore;

/**
 * Builds the server's state for each configuration it loads. The capability store is kept across reloads while
 * DATABASE stays the same, so a reload opens no connection; one replaced by another DATABASE is closed only
 * {@code beyondSendmailTimeout} after SENDMAIL_TIMEOUT, when no lookup or delivery that started before the reload
 * can still be using it (handed-over deliveries are cut off before).
 */
final class ServerStates implements LiveConfig.Serving<ServerState> {
    private final Duration beyondSendmailTimeout;
    private final Clock clock;
    private final Consumer<String> log;
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "retired-database-closer");
        thread.setDaemon(true);
        return thread;
    });

    ServerStates(Duration beyondSendmailTimeout, Clock clock, Consumer<String> log) {
        this.beyondSendmailTimeout = beyondSendmailTimeout;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public ServerState start(Config config, Optional<ServerState> running) {
        CapabilityStore store = running.filter(state -> state.config().database().equals(config.database()))
                .map(state -> state.resolver().store())
                .orElseGet(() -> CapabilityStore.open(config.database()));
        AssembledResolver resolver = ResolverAssembly.serving(config, store, clock, log);
        return new ServerState(config, resolver, new SocketmapResponder(resolver, config.socketmap()));
    }

    @Override
    public void retire(ServerState replaced, ServerState successor) {
        replaced.resolver().stopRefreshing();
        CapabilityStore old = replaced.resolver().store();
        if (old != successor.resolver().store()) {
            Duration delay = replaced.config().delivery().sendmailTimeout().plus(beyondSendmailTimeout);
            closer.schedule(old::close, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
