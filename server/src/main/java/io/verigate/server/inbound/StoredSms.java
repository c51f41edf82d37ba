package io.verigate.server.inbound;

import java.time.Instant;

/** A journaled SMS as customers see it: who sent it, the full text, the code found in it (or null). */
public record StoredSms(long id, String sender, String text, String code, Instant receivedAt) {}
