package io.verigate.server.inbound;

import java.util.Objects;

/**
 * A one-time code found in a message.
 *
 * @param code the code to hand to the customer and compare against: separators removed
 *     ({@code 123-456} becomes {@code 123456}), {@code G-}/{@code FB-} prefixes stripped,
 *     letters upper-cased, native digits (Arabic-Indic, full-width, ...) as ASCII
 * @param display the code as written in the message, for showing to a person
 */
public record ExtractedCode(String code, String display) {

  public ExtractedCode {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(display, "display");
  }
}
