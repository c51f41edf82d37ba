package io.verigate.client;

import java.util.List;

/** One page of activations, newest first; {@code nextBefore} is null on the last page. */
public record ActivationPage(List<Activation> items, Integer nextBefore) {}
