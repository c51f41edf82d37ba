package io.verigate.server.email;

import io.verigate.server.inbound.CodeExtractor;
import io.verigate.server.inbound.ExtractedCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Finds the one-time code and the verification link in a letter.
 *
 * <p>The code comes from the SMS {@link CodeExtractor} run over the subject and the body's text, with email's own
 * guard in front: a letter is long and full of numbers (order numbers, prices, street addresses, years), so a code is
 * taken only from a letter that speaks of one (code, OTP, PIN, verification, ... in several languages), and lines that
 * are only boilerplate (unsubscribe, address, copyright) are dropped first.
 *
 * <p>The link is the one whose text, address or surrounding words say verify, confirm, activate (and their
 * relatives); links whose words say unsubscribe, preferences, privacy, help, or that wrap only an image (logos,
 * tracking pixels) never count. In HTML letters the anchors are read with jsoup; in plain ones every URL is weighed by
 * its own line and the line before it.
 */
public final class MailExtractor {
  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  /** A letter that holds a code names it: code, OTP, PIN, passcode, and their words in other languages. */
  private static final Pattern SPEAKS_OF_A_CODE = Pattern.compile("code|\\botp\\b|\\bpin\\b|passcode|"
      + "one[- ]time password|código|codice|\\bkod|код|验证码|認証番号|確認コード|인증번호", FLAGS);
  /** A promotion's "code" is a coupon: its subject says so, and then the subject's code is no one-time code. */
  private static final Pattern PROMOTION = Pattern.compile("coupon|promo|discount|voucher|\\d+ ?% off|sale\\b",
      FLAGS);
  /** A code of letters and digits written right after "code:" (Slack's SQV-4TR), which SMS codes never are. */
  private static final Pattern MIXED_CODE_AFTER_LABEL = Pattern.compile(
      "code(?: is)?:?\\s+((?=[A-Z0-9-]*[0-9])(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{2,5}-[A-Z0-9]{2,5})(?![A-Za-z0-9-])", FLAGS);
  /** Digits written one by one with spaces between them ("9 2 7 1 5 3"), as some letters set a code. */
  private static final Pattern SPACED_DIGITS = Pattern.compile("(?<![\\d ])\\d(?: \\d){3,7}(?![\\d])");
  /** Words that make a link the verification link. */
  private static final Pattern VERIFY_WORDS = Pattern.compile("verif|confirm|activat|activer|aktiv|validat|"
      + "bestätig|подтверд|актив|complete (?:your )?(?:registration|sign|account)|finish (?:sign|setting)|"
      + "magic[- ]?link|approve|(?:^|[/?&_=-])(?:confirm|verify|activate|validate|magic|token|ticket)", FLAGS);
  /** An anchor whose whole text is "Sign in to Medium": a magic sign-in link. */
  private static final Pattern SIGN_IN_ANCHOR = Pattern.compile("(?:sign|log) (?:me )?in to [\\p{L}.]+", FLAGS);
  /** Words that make a link anything but the verification link. */
  private static final Pattern NOT_VERIFY = Pattern.compile("unsubscri|opt[-_ ]?out|preferen|privacy|terms|"
      + "\\bhelp\\b|support|contact|report|password|compromised|"
      + "view (?:this|it|in) (?:email|your browser|browser)|webversion|view online|manage (?:your )?(?:email|"
      + "notification|subscription)|отписа|abbestell|désinscri|not you|wasn'?t (?:me|you)|didn'?t (?:request|sign)|"
      + "did not (?:attempt|request)|secure your account", FLAGS);
  private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"'()\\[\\]]+", FLAGS);
  /** Lines that are boilerplate in every letter and hold numbers that are no code. */
  private static final Pattern BOILERPLATE_LINE = Pattern.compile("unsubscri|©|\\(c\\)|copyright|all rights reserved|"
      + "privacy|this (?:e-?mail|message) was sent|you (?:are )?receiv|street|\\bave(?:nue)?\\b|\\bsuite\\b|"
      + "\\binc\\.|\\bllc\\b|\\bltd\\b|\\bgmbh\\b", FLAGS);
  private static final int LINK_MAX = 2000;

  private final CodeExtractor codes;

  public MailExtractor(CodeExtractor codes) {
    this.codes = codes;
  }

  public MailFindings find(ParsedMail mail) {
    return new MailFindings(code(mail).orElse(null), link(mail).orElse(null));
  }

  private Optional<String> code(ParsedMail mail) {
    String body = SPACED_DIGITS.matcher(withoutBoilerplate(withoutUrls(mail.text())))
        .replaceAll(m -> m.group().replace(" ", ""));
    String subject = mail.subject();
    boolean subjectNamesACode = SPEAKS_OF_A_CODE.matcher(subject).find() && !PROMOTION.matcher(subject).find();
    if (!subjectNamesACode && !SPEAKS_OF_A_CODE.matcher(body).find()) {
      return Optional.empty();
    }
    // The subject first (many senders put the code there), each on its own so neither's numbers mislead the other.
    Optional<String> inSubject = subjectNamesACode ? codeIn(subject) : Optional.empty();
    return inSubject.or(() -> codeIn(body));
  }

  private Optional<String> codeIn(String text) {
    Optional<String> found = codes.extract(null, text).map(ExtractedCode::code);
    if (found.isPresent()) {
      return found;
    }
    Matcher mixed = MIXED_CODE_AFTER_LABEL.matcher(text);
    return mixed.find() ? Optional.of(mixed.group(1).replace("-", "").toUpperCase(Locale.ROOT)) : Optional.empty();
  }

  /** The link's own address in a plain text stays out of the code's way: it is full of digits. */
  private static String withoutUrls(String text) {
    return URL.matcher(text).replaceAll(" ");
  }

  private static String withoutBoilerplate(String text) {
    StringBuilder kept = new StringBuilder();
    for (String line : text.split("\\r?\\n")) {
      if (!BOILERPLATE_LINE.matcher(line).find()) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString();
  }

  private Optional<String> link(ParsedMail mail) {
    List<Weighed> links = mail.html() != null ? fromHtml(mail.html()) : fromText(mail.text());
    Weighed best = null;
    for (Weighed link : links) {
      if (link.score > 0 && (best == null || link.score > best.score)) {
        best = link;
      }
    }
    return Optional.ofNullable(best).map(w -> w.url);
  }

  private record Weighed(String url, int score) {}

  private static List<Weighed> fromHtml(String html) {
    Document doc = Jsoup.parse(html);
    List<Weighed> out = new ArrayList<>();
    for (Element a : doc.select("a[href]")) {
      String href = a.attr("href").strip();
      if (!isWebUrl(href)) {
        continue;
      }
      String text = a.text().strip();
      if (text.isEmpty()) {
        // an anchor around nothing but an image: a logo or a banner
        continue;
      }
      Element block = a.parent();
      String around = block == null ? "" : block.text();
      Element previous = block == null ? null : block.previousElementSibling();
      if (previous != null) {
        around = previous.text() + " " + around;
      }
      int score = score(href, text, around);
      if (score == 0 && SIGN_IN_ANCHOR.matcher(text).matches() && !NOT_VERIFY.matcher(href).find()) {
        score = 3;
      }
      out.add(new Weighed(href, score));
    }
    return out;
  }

  private static List<Weighed> fromText(String text) {
    List<Weighed> out = new ArrayList<>();
    String[] lines = text.split("\\r?\\n");
    for (int i = 0; i < lines.length; i++) {
      Matcher m = URL.matcher(lines[i]);
      while (m.find()) {
        String url = trimTrailingPunctuation(m.group());
        String line = lines[i].replace(m.group(), " ");
        String before = previousNonBlank(lines, i);
        out.add(new Weighed(url, score(url, line, before)));
      }
    }
    return out;
  }

  /**
   * How strongly a link reads as the verification link: its own words count most, then its address, then the words
   * around it. Any word against it rules it out.
   */
  private static int score(String url, String text, String around) {
    if (url.length() > LINK_MAX || NOT_VERIFY.matcher(text).find() || NOT_VERIFY.matcher(url).find()) {
      return 0;
    }
    int score = 0;
    if (VERIFY_WORDS.matcher(text).find()) {
      score += 4;
    }
    if (VERIFY_WORDS.matcher(pathAndQuery(url)).find()) {
      score += 2;
    }
    if (score > 0 || (VERIFY_WORDS.matcher(around).find() && !NOT_VERIFY.matcher(around).find())) {
      score += 1;
    }
    return score;
  }

  private static String pathAndQuery(String url) {
    int slash = url.indexOf('/', url.indexOf("//") + 2);
    return slash < 0 ? "" : url.substring(slash).toLowerCase(Locale.ROOT);
  }

  private static boolean isWebUrl(String href) {
    String lower = href.toLowerCase(Locale.ROOT);
    return lower.startsWith("https://") || lower.startsWith("http://");
  }

  private static String trimTrailingPunctuation(String url) {
    int end = url.length();
    while (end > 0 && ".,;:!?".indexOf(url.charAt(end - 1)) >= 0) {
      end--;
    }
    return url.substring(0, end);
  }

  private static String previousNonBlank(String[] lines, int index) {
    for (int i = index - 1; i >= 0 && i >= index - 3; i--) {
      if (!lines[i].isBlank()) {
        return lines[i];
      }
    }
    return "";
  }
}
