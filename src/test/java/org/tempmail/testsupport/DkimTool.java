package org.tempmail.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real DKIM and ARC signer and verifier: Debian's python3-dkim (dkimpy), in one long-lived python3 process
 * (src/test/resources/dkim/dkim-helper.py) that answers one request a line, so a test can sign and verify
 * hundreds of variants in seconds. Signatures are made for d=example.net with a fresh 2048-bit RSA key, whose
 * public half the helper's own lookup function publishes in place of DNS.
 */
public final class DkimTool implements AutoCloseable {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String HINT = "/usr/bin/python3 with python3-dkim and python3-authres "
            + "(apt-get install python3-dkim python3-authres)";

    private final Process process;
    private final Writer requests;
    private final BufferedReader answers;

    private DkimTool(Process process) {
        this.process = process;
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** Starts the helper; skips the test (fails it in CI) where python3-dkim is missing. */
    public static DkimTool start() throws IOException, InterruptedException {
        // Debian's own interpreter, not one a version manager put first on PATH: the package installs there.
        RequiredTool.require(Files.isExecutable(PYTHON) && importsDkim(), HINT);
        KeyPair key = rsaKey();
        String privatePem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String publicKey = Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
        Process process = new ProcessBuilder(PYTHON.toString(), "-c", script(), privatePem, publicKey)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new DkimTool(process);
    }

    /** The message with a DKIM-Signature on top; canonicalization as in c=, e.g. "relaxed/simple". */
    public byte[] sign(byte[] message, String canonicalization, String... fields) {
        return decode(ask("sign " + canonicalization + " " + String.join(":", fields), message));
    }

    /** The message with the next ARC set on top (it needs an Authentication-Results field). */
    public byte[] arcSign(byte[] message, String... fields) {
        return decode(ask("arc-sign " + String.join(":", fields), message));
    }

    /** "pass" or "fail" for each DKIM-Signature, topmost first; empty for none. */
    public List<String> verify(byte[] message) {
        String answer = ask("verify", message);
        return answer.equals("none") ? List.of() : Arrays.asList(answer.split(" "));
    }

    /** The ARC chain's validation: "pass", "fail" or "none". */
    public String arcVerify(byte[] message) {
        return ask("arc-verify", message);
    }

    private synchronized String ask(String request, byte[] message) {
        try {
            requests.write(request + " " + Base64.getEncoder().encodeToString(message) + "\n");
            requests.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException("the dkimpy helper ended (exit " + process.waitFor() + ")");
            }
            if (!answer.startsWith("ok ")) {
                throw new IllegalStateException("dkimpy: " + answer);
            }
            return answer.substring(3);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    private static boolean importsDkim() throws IOException, InterruptedException {
        Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import dkim, authres")
                .redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        return check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0;
    }

    private static String script() throws IOException {
        try (InputStream in = DkimTool.class.getResourceAsStream("/dkim/dkim-helper.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static KeyPair rsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has RSA", e);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        requests.close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
