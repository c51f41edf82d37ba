package io.verigate.server.sandbox;

import java.security.SecureRandom;
import java.util.Map;

/** Realistic texts the sandbox "sends", shaped like what each service sends today. */
final class SandboxMessages {
  private static final Map<String, String[]> BY_SERVICE = Map.ofEntries(
      Map.entry("wa", new String[] {"WhatsApp", "Your WhatsApp code: %3$s\n\nDon't share this code with others\n\n4sgLq1p5sV6"}),
      Map.entry("tg", new String[] {"Telegram", "Telegram code: %2$s\n\nDo not give this code to anyone, even if they say they are from Telegram!"}),
      Map.entry("go", new String[] {"Google", "G-%2$s is your Google verification code."}),
      Map.entry("fb", new String[] {"Facebook", "%2$s is your Facebook confirmation code"}),
      Map.entry("ig", new String[] {"Instagram", "%3$s is your Instagram code. Don't share it."}),
      Map.entry("tw", new String[] {"X", "Your X verification code is %2$s."}),
      Map.entry("ds", new String[] {"Discord", "Your Discord verification code is: %2$s"}),
      Map.entry("mm", new String[] {"Microsoft", "Use %2$s as Microsoft account security code"}),
      Map.entry("lf", new String[] {"TikTok", "[TikTok] %2$s is your verification code, valid for 5 minutes."}));
  private static final SecureRandom RANDOM = new SecureRandom();

  private SandboxMessages() {}

  /** A sender and a text for the service; the code is six random digits. */
  static String[] forService(String serviceCode, String serviceName) {
    String code = String.format("%06d", RANDOM.nextInt(1_000_000));
    String split = code.substring(0, 3) + "-" + code.substring(3);
    String[] template = BY_SERVICE.getOrDefault(serviceCode,
        new String[] {serviceName, "Your " + serviceName + " verification code is %2$s. It expires in 10 minutes."});
    return new String[] {template[0], String.format(template[1], template[0], code, split)};
  }
}
