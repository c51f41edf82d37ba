package io.verigate.server.email;

/** What a verification letter hands over: its one-time code, its verification link, either, both or neither (null). */
public record MailFindings(String code, String link) {
  public static final MailFindings NOTHING = new MailFindings(null, null);

  public boolean found() {
    return code != null || link != null;
  }

  /** What a customer who asked for "the value" gets (Kopeechka's {@code value}): the code, else the link. */
  public String value() {
    return code != null ? code : link;
  }
}
