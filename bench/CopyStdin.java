import java.io.IOException;

/** The floor of any Java pipe program: start a JVM, copy stdin to stdout, exit. */
public final class CopyStdin {
    public static void main(String[] args) throws IOException {
        System.in.transferTo(System.out);
        System.out.flush();
    }
}
