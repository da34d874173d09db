package org.tempmail.cli;

import org.tempmail.config.Config;
import org.tempmail.socketmap.SocketmapResponder;
import org.tempmail.storage.CapabilityResolver;

/** What the server answers lookups and makes deliveries with under one configuration. */
record ServerState(Config config, CapabilityResolver resolver, SocketmapResponder responder) {
}
