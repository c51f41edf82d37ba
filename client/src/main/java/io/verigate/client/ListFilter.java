package io.verigate.client;

/**
 * Which of the caller's activations to list, newest first. Every field is optional: {@code status}
 * ({@code WAITING}, {@code RECEIVED}, ...), {@code service} and {@code country} in any form the server
 * accepts, {@code before} (an activation id, from {@link ActivationPage#nextBefore()}) and {@code limit}.
 */
public record ListFilter(String status, String service, String country, Integer before, Integer limit) {

  public static ListFilter all() {
    return new ListFilter(null, null, null, null, null);
  }

  public ListFilter withStatus(String value) {
    return new ListFilter(value, service, country, before, limit);
  }

  public ListFilter withService(String value) {
    return new ListFilter(status, value, country, before, limit);
  }

  public ListFilter withCountry(String value) {
    return new ListFilter(status, service, value, before, limit);
  }

  public ListFilter before(Integer activationId) {
    return new ListFilter(status, service, country, activationId, limit);
  }

  public ListFilter withLimit(Integer value) {
    return new ListFilter(status, service, country, before, value);
  }
}
