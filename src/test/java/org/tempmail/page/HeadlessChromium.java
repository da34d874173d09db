package org.tempmail.page;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium, headless, with a profile of its own and every request sent to a proxy. As root it needs
 * --no-sandbox. The switches after it turn off what Chromium fetches by itself (updates, sync, safe browsing
 * lists), so that what reaches the proxy comes from the page; ended with its children by pid.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private final Process process;
    private final Path profile;
    private final HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    private int port;

    /** A tab of its own, so that no emulated clock, zone or screen of one test reaches the next. */
    record Tab(String id, URI endpoint) {
    }

    HeadlessChromium(Path profile, int proxyPort) throws IOException {
        this.profile = profile;
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        process = new ProcessBuilder(List.of(BINARY.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                "--user-data-dir=" + profile, "--proxy-server=http://127.0.0.1:" + proxyPort,
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
                "--disable-breakpad", "--metrics-recording-only", "--password-store=basic", "about:blank"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits for Chromium's DevTools to listen. */
    void awaitDevTools() throws Exception {
        Path activePort = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.isRegularFile(activePort) || Files.readAllLines(activePort).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("chromium did not start; its output: "
                        + Files.readString(profile.resolveSibling(profile.getFileName() + ".log")));
            }
            Thread.sleep(50);
        }
        port = Integer.parseInt(Files.readAllLines(activePort).get(0).strip());
    }

    Tab newTab() throws Exception {
        String answer = client.send(HttpRequest.newBuilder(devTools("/json/new?about:blank"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<?, ?> description = (Map<?, ?>) Json.parse(answer);
        return new Tab((String) description.get("id"), URI.create((String) description.get("webSocketDebuggerUrl")));
    }

    void closeTab(Tab tab) throws Exception {
        client.send(HttpRequest.newBuilder(devTools("/json/close/" + tab.id())).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private URI devTools(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
            child.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        removeSingletonDirectory();
    }

    /** The directory in /tmp that the profile's SingletonSocket link points into, which Chromium leaves behind. */
    private void removeSingletonDirectory() {
        try {
            Path socket = Files.readSymbolicLink(profile.resolve("SingletonSocket"));
            Path directory = socket.getParent();
            if (directory != null && directory.getFileName().toString().startsWith("org.chromium.Chromium.")) {
                try (var files = Files.list(directory)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            // no link (Chromium never got that far) or already gone: nothing left to remove
        }
    }
}
