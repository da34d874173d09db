package org.tempmail.config;

/** Where the socketmap server listens: a unix-domain socket file or a TCP port. */
public enum SocketType {
    UNIX,
    INET
}
