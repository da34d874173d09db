package org.tempmail.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A syslog socket as /dev/log is: a unix datagram socket, one message per datagram. Java cannot bind one, so a
 * real python3 receiver does and prints each datagram on a line of its own; the socket is writable by every user
 * (as /dev/log), for a deliver run as nobody.
 */
public final class SyslogReceiver implements AutoCloseable {
    private static final String SCRIPT = """
            import os, socket, sys
            path = sys.argv[1]
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(path)
            os.chmod(path, 0o666)
            print("ready", flush=True)
            while True:
                data = s.recv(65536)
                print(data.decode("utf-8", "replace").replace("\\n", " "), flush=True)
            """;

    private final Process process;
    private final Path socket;
    private final List<String> messages = new ArrayList<>();

    private SyslogReceiver(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Listens on {@code socket}, a path that does not exist yet. */
    public static SyslogReceiver start(Path socket) throws IOException {
        RequiredTool.requireExecutable("/usr/bin/python3", "python3");
        RequiredTool.requireExecutable("/usr/bin/logger", "bsdutils");
        Path script = socket.resolveSibling("syslog-receiver.py");
        Files.writeString(script, SCRIPT);
        Process process = new ProcessBuilder("/usr/bin/python3", script.toString(), socket.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        SyslogReceiver receiver = new SyslogReceiver(process, socket);
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        if (!"ready".equals(lines.readLine())) {
            process.destroyForcibly();
            throw new IOException("the syslog receiver did not start");
        }
        Thread reader = new Thread(() -> receiver.read(lines), "syslog-receiver");
        reader.setDaemon(true);
        reader.start();
        return receiver;
    }

    private void read(BufferedReader lines) {
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (messages) {
                    messages.add(line);
                    messages.notifyAll();
                }
            }
        } catch (IOException e) {
            // The receiver was stopped.
        }
    }

    public Path socket() {
        return socket;
    }

    /** Every message received so far. */
    public List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** Forgets what was received, so the next wait sees only new messages. */
    public void clear() {
        synchronized (messages) {
            messages.clear();
        }
    }

    /** The first message that contains {@code text}, waiting up to {@code timeout} for it; null if none came. */
    public String await(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            while (true) {
                for (String message : messages) {
                    if (message.contains(text)) {
                        return message;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(messages, left);
            }
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
