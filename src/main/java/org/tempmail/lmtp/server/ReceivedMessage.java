package org.tempmail.lmtp.server;

import java.io.IOException;
import java.io.InputStream;

/** A message received whole by LMTP, lines ended by LF as Postfix stores it; read as often as there are recipients. */
public interface ReceivedMessage {
    InputStream open() throws IOException;
}
