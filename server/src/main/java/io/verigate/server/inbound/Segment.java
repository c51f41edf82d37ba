package io.verigate.server.inbound;

import java.util.Optional;

/**
 * Where a part sits in a long message, as the adapter that received it read it: the concatenation scheme (the
 * adapter's name for it, such as {@code udh8}, {@code udh16}, {@code sar} or {@code concat}), that scheme's reference,
 * the number of parts and this part's number. An SMS that is not split is part 1 of 1.
 */
public record Segment(String scheme, String reference, int total, int number) {
  public static final Segment WHOLE = new Segment("whole", "0", 1, 1);

  public boolean whole() {
    return total == 1;
  }

  /**
   * The segment, unless TS 23.040 tells receivers to ignore it: a concatenation of fewer than two parts, or a number
   * outside the total. The caller then reads the part as a whole SMS, which loses none of its text.
   */
  public static Optional<Segment> of(String scheme, String reference, int total, int number) {
    return total >= 2 && number >= 1 && number <= total
        ? Optional.of(new Segment(scheme, reference, total, number))
        : Optional.empty();
  }
}
