package io.verigate.server.inventory;

/** Where numbers and their messages come from: a gateway, a SIM bank, a CPaaS account, the sandbox. */
public record NumberSource(long id, String name, String type) {}
