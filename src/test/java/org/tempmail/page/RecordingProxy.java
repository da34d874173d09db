package org.tempmail.page;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy on loopback that forwards nothing: it records the request line of every request a browser sends
 * it (a plain GET with its full URL, or a CONNECT with host and port for https), answers plain requests with a
 * short page, or with the HTML {@link #serve} set for that URL, and refuses tunnels.
 */
final class RecordingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private final Map<String, String> pages = new ConcurrentHashMap<>();

    RecordingProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "recording-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Answers a GET of {@code url} with this HTML page, as a web server on the internet would. */
    void serve(String url, String html) {
        pages.put(url, html);
    }

    /** The request lines seen so far, e.g. "GET http://example.org/ HTTP/1.1" or "CONNECT host:443 HTTP/1.1". */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                client.setSoTimeout(5000);
                answer(client);
            } catch (IOException e) {
                // a closed server ends the loop; a client that went away is nothing to record
            }
        }
    }

    private void answer(Socket client) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.ISO_8859_1));
        String requestLine = reader.readLine();
        if (requestLine == null) {
            return;
        }
        requests.add(requestLine);
        for (String header = reader.readLine(); header != null && !header.isEmpty(); header = reader.readLine()) {
            // the headers are read only to get past them
        }
        OutputStream out = client.getOutputStream();
        String[] parts = requestLine.split(" ");
        String page = parts.length > 1 ? pages.get(parts[1]) : null;
        if (requestLine.startsWith("CONNECT ")) {
            out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
        } else {
            byte[] body = (page == null ? "proxied\n" : page).getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + (page == null ? "text/plain" : "text/html; charset=utf-8")
                    + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
