package org.tempmail.cli;

import org.tempmail.config.Config;
import org.tempmail.resolver.AssembledResolver;
import org.tempmail.socketmap.SocketmapResponder;

/** What the server answers lookups and makes deliveries with under one configuration. */
record ServerState(Config config, AssembledResolver resolver, SocketmapResponder responder) {
}
