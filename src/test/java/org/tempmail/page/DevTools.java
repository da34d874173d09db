package org.tempmail.page;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A client of Chromium's DevTools protocol for one page, over java.net.http's WebSocket. */
final class DevTools implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final WebSocket socket;
    private final AtomicInteger nextId = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    /** Every event received, in order: {"method": ..., "params": {...}}. */
    final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

    private DevTools(URI endpoint) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(endpoint, new Listener()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    static DevTools connect(URI endpoint) throws Exception {
        return new DevTools(endpoint);
    }

    /** Sends a command and returns its result, or fails with the error Chromium answered. */
    Map<String, Object> send(String method, Map<String, Object> params) throws Exception {
        int id = nextId.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(Json.write(Map.of("id", id, "method", method, "params", params)), true)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Map<String, Object> message = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (message.containsKey("error")) {
            throw new IllegalStateException(method + ": " + message.get("error"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) message.get("result");
        return result;
    }

    Map<String, Object> send(String method) throws Exception {
        return send(method, Map.of());
    }

    /** The value of a JavaScript expression in the page, promises awaited. */
    Object evaluate(String expression) throws Exception {
        Map<String, Object> result = send("Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.containsKey("exceptionDetails")) {
            throw new IllegalStateException(expression + " threw " + result.get("exceptionDetails"));
        }
        return ((Map<?, ?>) result.get("result")).get("value");
    }

    /** Waits until a JavaScript expression is true in the page (one that throws, e.g. while loading, is not). */
    void waitFor(String expression) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Boolean.TRUE.equals(evaluateOrNull(expression))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + TIMEOUT.toSeconds() + " s: " + expression);
            }
            Thread.sleep(50);
        }
    }

    private Object evaluateOrNull(String expression) throws Exception {
        try {
            return evaluate(expression);
        } catch (IllegalStateException duringNavigation) {
            return null;
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                @SuppressWarnings("unchecked")
                Map<String, Object> message = (Map<String, Object>) Json.parse(partial.toString());
                partial.setLength(0);
                Object id = message.get("id");
                if (id == null) {
                    events.add(message);
                } else {
                    CompletableFuture<Map<String, Object>> answer = pending.remove(((Double) id).intValue());
                    if (answer != null) {
                        answer.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(answer -> answer.completeExceptionally(error));
        }
    }
}
