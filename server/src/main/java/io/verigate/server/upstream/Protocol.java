package io.verigate.server.upstream;

import io.verigate.client.provider.Endpoint;
import io.verigate.client.provider.FiveSimProvider;
import io.verigate.client.provider.SmsActivateProvider;
import io.verigate.client.provider.VerificationProvider;
import io.verigate.client.provider.VerigateProvider;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BiFunction;

/** The API an upstream speaks, each served by the SDK's provider for it. */
public enum Protocol {
  VERIGATE("verigate", VerigateProvider::of),
  SMS_ACTIVATE("sms-activate", SmsActivateProvider::new),
  FIVESIM("5sim", FiveSimProvider::new);

  private final String code;
  private final BiFunction<String, Endpoint, VerificationProvider> provider;

  Protocol(String code, BiFunction<String, Endpoint, VerificationProvider> provider) {
    this.code = code;
    this.provider = provider;
  }

  public String code() {
    return code;
  }

  VerificationProvider provider(String name, Endpoint endpoint) {
    return provider.apply(name, endpoint);
  }

  public static Protocol of(String code) {
    String wanted = code == null ? "" : code.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(p -> p.code.equals(wanted)).findFirst()
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "protocol must be one of verigate, sms-activate or 5sim"));
  }
}
