package io.verigate.server.inventory;

/** A number locked for a purchase inside the purchase's transaction. */
public record ReservedNumber(long id, String e164, String country, String operator) {}
