package io.verigate.client;

/** A target service: its short code ({@code wa}), name and 5sim product name. */
public record Service(String code, String name, String fiveSimName) {}
