package org.tempmail.handoff;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.tempmail.socketmap.EssentialThread;
import org.tempmail.socketmap.ListeningSocket;

/**
 * Takes deliveries from short-lived {@code tempmail deliver} processes over a private unix socket and runs them
 * in this long-running JVM, which has long finished starting up. A client is declined (and delivers in its own
 * process) when it was started with another configuration file or when every delivery slot is busy.
 */
public final class HandoffServer implements AutoCloseable {
    /**
     * {@code greetingTimeout}: how long a client may take to say what it wants; {@code deliveryTimeout}: how long
     * one delivery may take in all, sendmail included (a client waits that long too, plus a margin).
     */
    public record Limits(int maxDeliveries, Duration greetingTimeout, Duration deliveryTimeout) {
    }

    private static final long WATCH_INTERVAL_MILLIS = 500;

    private final ListeningSocket listener;
    private final ServedConfig served;
    private final HandoffHandler handler;
    private final Limits limits;
    private final Consumer<String> log;
    private final Semaphore slots;
    private final ComputePermits compute = ComputePermits.forThisMachine();
    private final Set<Delivery> deliveries = ConcurrentHashMap.newKeySet();
    private final AtomicLong numbers = new AtomicLong();
    private final Thread acceptor;
    private final Thread watchdog;
    private volatile boolean closing;

    /** {@code served}: which clients' configuration the server delivers with. */
    public HandoffServer(ListeningSocket listener, ServedConfig served, HandoffHandler handler, Limits limits,
            Consumer<String> log) {
        this.listener = listener;
        this.served = served;
        this.handler = handler;
        this.limits = limits;
        this.log = log;
        this.slots = new Semaphore(limits.maxDeliveries());
        this.acceptor = EssentialThread.create(this::acceptLoop, "handoff-acceptor", log);
        this.watchdog = EssentialThread.create(this::watchLoop, "handoff-watchdog", log);
        watchdog.setDaemon(true);
    }

    public void start() {
        log.accept("taking deliveries on " + listener.address() + " (max " + limits.maxDeliveries() + " at once, "
                + compute.count() + " computing)");
        acceptor.start();
        watchdog.start();
    }

    /** Stops taking deliveries; those under way are cut off, and their clients defer. */
    @Override
    public void close() {
        closing = true;
        listener.close();
        for (Delivery delivery : deliveries) {
            delivery.close();
        }
        acceptor.interrupt();
    }

    private void acceptLoop() {
        while (!closing) {
            Optional<SocketChannel> accepted = listener.acceptNext(log, "deliveries: ");
            if (accepted.isEmpty()) {
                return;
            }
            SocketChannel channel = accepted.get();
            Delivery delivery = new Delivery(channel, numbers.incrementAndGet());
            if (!slots.tryAcquire()) {
                delivery.decline("all " + limits.maxDeliveries() + " delivery slots are busy");
                continue;
            }
            deliveries.add(delivery);
            try {
                new Thread(delivery, "handoff-" + delivery.number).start();
            } catch (OutOfMemoryError | IllegalStateException e) {
                finished(delivery);
                delivery.decline("cannot start a thread: " + e);
            }
        }
    }

    private void watchLoop() {
        while (!closing) {
            long now = System.nanoTime();
            for (Delivery delivery : deliveries) {
                long age = now - delivery.started;
                if (!delivery.greeted && age > limits.greetingTimeout().toNanos()) {
                    log.accept("deliveries: client " + delivery.number + " said nothing for "
                            + limits.greetingTimeout().toSeconds() + " s; disconnected");
                    delivery.close();
                } else if (age > limits.deliveryTimeout().toNanos()) {
                    log.accept("deliveries: delivery " + delivery.number + " took longer than "
                            + limits.deliveryTimeout().toSeconds() + " s; cut off (the client defers)");
                    delivery.close();
                }
            }
            try {
                Thread.sleep(WATCH_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void finished(Delivery delivery) {
        if (deliveries.remove(delivery)) {
            slots.release();
        }
    }

    private final class Delivery implements Runnable {
        private final SocketChannel channel;
        private final long number;
        private final long started = System.nanoTime();
        private volatile boolean greeted;

        Delivery(SocketChannel channel, long number) {
            this.channel = channel;
            this.number = number;
        }

        @Override
        public void run() {
            try {
                serve();
            } catch (IOException e) {
                if (!closing) {
                    log.accept("deliveries: client " + number + ": " + e);
                }
            } catch (RuntimeException | Error e) {
                // The client sees the connection close before an answer and defers.
                log.accept("deliveries: client " + number + ": internal error: " + e);
            } finally {
                close();
                finished(this);
            }
        }

        private void serve() throws IOException {
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
            HandoffRequest request = HandoffRequest.readFrom(in);
            Optional<String> declined = served.declineReason(Path.of(request.configPath()));
            if (declined.isPresent()) {
                log.accept("deliveries: declined client " + number + ": " + declined.get()
                        + "; it delivers in its own process");
                reply(out, "NO other configuration");
                return;
            }
            greeted = true;
            reply(out, "GO " + limits.deliveryTimeout().toSeconds());
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            ComputePermits.Pass pass = compute.pass();
            InputStream message = new MessageFrames.Reader(pass.gate(in));
            int status;
            try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                status = handler.deliver(request, message, pass::finish, printer);
            } finally {
                pass.finish();
            }
            // A refusal reads no further than the header; the client writes the whole message before it listens.
            message.transferTo(OutputStream.nullOutputStream());
            String said = output.toString(StandardCharsets.UTF_8).strip();
            log.accept("deliveries: client " + number + " (" + String.join(" ", request.arguments()) + "): exit "
                    + status + (said.isEmpty() ? "" : ": " + said));
            Netstrings.write(out, Integer.toString(status));
            Netstrings.write(out, output.toString(StandardCharsets.UTF_8));
            out.flush();
        }

        private void reply(OutputStream out, String text) throws IOException {
            Netstrings.write(out, text);
            out.flush();
        }

        void decline(String reason) {
            log.accept("deliveries: declined client " + number + ": " + reason + "; it delivers in its own process");
            try {
                OutputStream out = Channels.newOutputStream(channel);
                Netstrings.write(out, "NO " + reason);
            } catch (IOException e) {
                // The client sees the connection close, which declines just the same.
            } finally {
                close();
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // Already closed or broken; nothing left to release.
            }
        }
    }
}
