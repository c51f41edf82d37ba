package io.verigate.server.activation;

/** What a list of activations may be narrowed to, newest first below {@code beforeId}; nulls mean "any". */
public record ActivationFilter(ActivationStatus status, String service, String country, int beforeId, int limit) {}
