package io.verigate.server.email;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a customer asked a mailbox to wait for (Kopeechka's {@code sender}, {@code subject} and {@code regex}): only a
 * letter from that sender and with that subject (each a case-insensitive part of the header) reaches the activation,
 * and the regex, when given, decides the delivered value instead of the code and link extractor. A letter that does
 * not pass is still kept in the journal, as any letter is, and reaches nothing.
 *
 * <p>The regex is the customer's own, run on letters the customer does not control the size of, so a pattern that
 * backtracks without end could hold a listener thread: its text is read through {@link Deadline}, which ends the match
 * after {@link #REGEX_BUDGET_NANOS}, and such a letter yields no value.
 */
public record MailFilter(String sender, String subject, Pattern regex) {
  public static final MailFilter NONE = new MailFilter(null, null, null);
  static final int MAX_REGEX = 500;
  static final int MAX_HEADER_PART = 320;
  private static final long REGEX_BUDGET_NANOS = 50_000_000;
  /** The longest value that is kept as a code; a longer match is kept as the link (its column takes 2,000). */
  private static final int MAX_CODE = 32;
  private static final int MAX_LINK = 2000;

  /** The filter as asked for; blank parts are absent. A regex that does not compile is refused. */
  public static MailFilter of(String sender, String subject, String regex) {
    String wantedSender = blankToNull(sender, "sender", MAX_HEADER_PART);
    String wantedSubject = blankToNull(subject, "subject", MAX_HEADER_PART);
    String pattern = blankToNull(regex, "regex", MAX_REGEX);
    if (pattern == null) {
      return new MailFilter(wantedSender, wantedSubject, null);
    }
    try {
      return new MailFilter(wantedSender, wantedSubject, Pattern.compile(pattern, Pattern.DOTALL));
    } catch (PatternSyntaxException e) {
      throw new Failure(ErrorCode.BAD_REQUEST, "regex does not compile: " + e.getDescription());
    }
  }

  public boolean isEmpty() {
    return sender == null && subject == null && regex == null;
  }

  /** Whether a letter from this sender with this subject is one the activation waits for. */
  boolean accepts(ParsedMail mail, String envelopeFrom) {
    boolean fromSender = sender == null || contains(mail.from(), sender) || contains(envelopeFrom, sender);
    return fromSender && (subject == null || contains(mail.subject(), subject));
  }

  /** The letter's findings: the extractor's, or with a regex its first group (or whole match) in the text. */
  MailFindings findings(ParsedMail mail, MailFindings extracted) {
    if (regex == null) {
      return extracted;
    }
    String value;
    try {
      Matcher matcher = regex.matcher(new Deadline(mail.text(), System.nanoTime() + REGEX_BUDGET_NANOS));
      if (!matcher.find()) {
        return MailFindings.NOTHING;
      }
      value = matcher.groupCount() > 0 && matcher.group(1) != null ? matcher.group(1) : matcher.group();
    } catch (Deadline.Exceeded e) {
      return MailFindings.NOTHING;
    }
    value = value.strip();
    if (value.isEmpty()) {
      return MailFindings.NOTHING;
    }
    return value.length() <= MAX_CODE && !value.contains("://") ? new MailFindings(value, null)
        : new MailFindings(null, EmailActivation.cut(value, MAX_LINK));
  }

  private static boolean contains(String header, String part) {
    return header != null && header.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
  }

  private static String blankToNull(String value, String name, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > max) {
      throw new Failure(ErrorCode.BAD_REQUEST, name + " must be at most " + max + " characters");
    }
    return value.strip();
  }

  /** Text that ends a regex match by throwing once its time is up: every step of a match reads a character. */
  private static final class Deadline implements CharSequence {
    static final class Exceeded extends RuntimeException {
      Exceeded() {
        super(null, null, false, false);
      }
    }

    private final CharSequence text;
    private final long deadline;

    Deadline(CharSequence text, long deadline) {
      this.text = text;
      this.deadline = deadline;
    }

    @Override
    public char charAt(int index) {
      if (System.nanoTime() > deadline) {
        throw new Exceeded();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Deadline(text.subSequence(start, end), deadline);
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
