package org.tempmail.e2e;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code tempmail serve} run through bin/tempmail as the unprivileged user, the way tempmail.service runs it:
 * its socket directory belongs to that user and group postfix, setgid, so the socket is reachable by Postfix.
 */
final class TempmailServer implements AutoCloseable {
    private final Path launcher;
    private final Path config;
    private final Path socket;
    private final Path log;
    private final PrivatePostfix.SystemUser user;
    private Process process;
    private java.util.Map<String, String> environment = java.util.Map.of();

    TempmailServer(Path launcher, Path config, Path socket, Path log, PrivatePostfix.SystemUser user) {
        this.launcher = launcher;
        this.config = config;
        this.socket = socket;
        this.log = log;
        this.user = user;
    }

    /** Variables the server gets on top of this JVM's, such as MAIL_CONFIG naming the private instance. */
    void setEnvironment(java.util.Map<String, String> environment) {
        this.environment = java.util.Map.copyOf(environment);
    }

    /** Creates the socket directory as tempmail.service's ExecStartPre does. */
    static void createSocketDirectory(Path socket, PrivatePostfix.SystemUser user)
            throws IOException, InterruptedException {
        Processes.check(List.of("/usr/bin/install", "-d", "-o", user.name(), "-g", "postfix", "-m", "2750",
                socket.getParent().toString()));
    }

    /**
     * Starts the server and waits until its socket accepts connections. It runs as tempmail.service has it: the
     * unprivileged user, the supplementary group postdrop and no new privileges, so the sendmail it runs for
     * handed-over deliveries works only through that group, not through postdrop's set-group-id bit.
     */
    void start() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + user.uid(),
                "--regid=" + user.gid(), "--groups=postdrop", "--no-new-privs", "--", launcher.toString(), "--config",
                config.toString(), "serve");
        builder.environment().putAll(environment);
        process = builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Files.writeString(pidFile(), process.pid() + "\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = Files.exists(log) ? Files.readString(log) : "";
                close();
                throw new IllegalStateException("tempmail serve did not come up on " + socket + ":\n" + output);
            }
            Thread.sleep(50);
        }
    }

    private Path pidFile() {
        return log.resolveSibling("serve.pid");
    }

    /**
     * Stops a server that an earlier run of the suite started from {@code dir} and could not stop (its JVM was
     * killed): the process named in serve.pid, if it still runs tempmail with that directory's configuration.
     */
    static void stopLeftover(Path dir) throws IOException {
        Path pidFile = dir.resolve("serve.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String config = dir.resolve("tempmail.cf").toString();
        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(config)).orElse(false))
                .ifPresent(ProcessHandle::destroy);
    }

    private boolean accepts() {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What the server has logged so far. */
    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Stops the server with SIGTERM, as systemctl stop does, and waits for it. */
    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            Processes.stop(process);
            process = null;
        }
    }
}
