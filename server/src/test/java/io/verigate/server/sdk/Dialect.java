package io.verigate.server.sdk;

import io.verigate.client.provider.Endpoint;
import io.verigate.client.provider.FiveSimProvider;
import io.verigate.client.provider.SmsActivateProvider;
import io.verigate.client.provider.VerificationProvider;
import io.verigate.client.provider.VerigateProvider;
import java.time.Duration;
import java.util.function.BiFunction;

/** The three customer dialects a node speaks, each as the SDK provider that talks it. */
enum Dialect {
  REST((name, endpoint) -> VerigateProvider.of(name, endpoint)),
  SMS_ACTIVATE(SmsActivateProvider::new),
  FIVESIM(FiveSimProvider::new);

  private final BiFunction<String, Endpoint, VerificationProvider> create;

  Dialect(BiFunction<String, Endpoint, VerificationProvider> create) {
    this.create = create;
  }

  /** A provider for {@code key} on the node at {@code baseUrl}, with short request timeouts for tests. */
  VerificationProvider provider(String name, String baseUrl, String key) {
    return create.apply(name, Endpoint.of(baseUrl, key).withRequestTimeout(Duration.ofSeconds(10)));
  }
}
