package io.verigate.server.inbound;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the one-time code in the text of a verification SMS.
 *
 * <p>The text is scanned once for candidates (digit groups, split digits such as
 * {@code 123-456}, {@code G-}/{@code FB-} prefixed codes, alphanumeric codes, upper-case
 * letter-only codes), and every candidate that looks like something else (a phone number, an
 * amount, a date, a card ending, an order number, ...) is dropped. The first of these tiers that
 * picks a candidate wins:
 * <ul>
 *   <li>tier 0, an origin-bound last line ({@code @example.com #123456}, WICG
 *       sms-one-time-codes), because the sender states the code explicitly there;</li>
 *   <li>tier 1, the rule of the activation's service (see {@link ServiceRules}): among
 *       candidates of the shape that service sends, the one nearest to its brand name or to a
 *       keyword;</li>
 *   <li>tier 2, keywords ("code", "код", "验证码", ... in many languages): the candidate nearest
 *       to one, before or after it;</li>
 *   <li>tier 3, a lone 4-8 digit candidate, when the text holds exactly one.</li>
 * </ul>
 *
 * <p>A code of letters alone reads like a word, so it is taken only where a word cannot be meant:
 * in tier 0; in tier 1 for a service whose rule says it sends such codes (Steam, whose alphabet
 * has no vowels); and in tier 2 only when no candidate with a digit is near a keyword, and then
 * only written right after the keyword ("code: FQKRX"), closing the sentence or the text, of a
 * shape the service sends, and not a word often found there ("Your code is READY.").
 *
 * <p>Stateless and thread-safe. Never throws; work is bounded by {@link #MAX_INPUT_CHARS}
 * and patterns contain no nested unbounded quantifiers.
 */
public final class CodeExtractor {

  /** Verification texts are a few hundred characters; the cap bounds work on hostile input. */
  static final int MAX_INPUT_CHARS = 2_000;

  /** Farther than this from its keyword, a number is usually about something else. */
  private static final int WINDOW = 60;
  /** How much text on each side of a candidate the trap filters read. */
  private static final int CONTEXT = 32;
  /** Most senders put the code after the keyword, so that side wins a near tie. */
  private static final int BEFORE_KEYWORD_PENALTY = 3;
  /** Letters-and-digits tokens are more often model names or references than codes. */
  private static final int ALPHANUMERIC_PENALTY = 8;
  /** A number in the next sentence rarely belongs to this sentence's keyword. */
  private static final int SENTENCE_BREAK_PENALTY = 40;

  static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final String NOT_LETTER_BEFORE = "(?<![\\p{L}\\p{M}])";
  private static final String NOT_LETTER_AFTER = "(?![\\p{L}\\p{M}])";

  // Case-sensitive on purpose: only Google and Facebook write these prefixes, always upper case.
  private static final Pattern CANDIDATE = Pattern.compile("(?<![A-Za-z0-9])(?:"
      + "(?:G|FB)-[0-9]{4,8}"
      + "|[0-9]{3}[- ][0-9]{3}|[0-9]{4}[- ][0-9]{4}"
      + "|[A-Za-z0-9]{4,10}"
      + ")(?![A-Za-z0-9])");

  // WICG sms-one-time-codes: "@top.example #code" optionally followed by " %embedded.example".
  private static final Pattern ORIGIN_BOUND_LINE = Pattern.compile(
      "@[A-Za-z0-9.-]{1,253}[ \\t]+#([A-Za-z0-9]{4,10})(?:[ \\t]+%[A-Za-z0-9.-]{1,253})?[ \\t]*");

  private static final int APP_HASH_LENGTH = 11;

  // --- traps: what a candidate looks like when it is not a code ---

  // A group joined to more digits is one slice of a phone, card, date, time or amount.
  private static final Pattern PART_OF_NUMBER_BEFORE = Pattern.compile(
      "(?:[0-9][-/.,:'’ ]|[+/@*•·…№] ?|\\.\\. ?)$");
  private static final Pattern PART_OF_NUMBER_AFTER = Pattern.compile(
      "(?:[-/.,:'’][0-9]| [0-9]{2}|@)");

  // A number right after one of these words is named by it: a reference, a card or account, a phone.
  private static final Pattern LABEL_BEFORE = Pattern.compile("(?:" + NOT_LETTER_BEFORE + "(?:"
      // references
      + "orders?|ref|reference|invoice|inv|ticket|booking|tracking|transaction|txn|trx|receipt|id|no\\."
      + "|nr|case|claim|policy|member|customer|client|pnr|awb|parcel|shipment|flight|room|gate|seat|item"
      + "|plate|vehicle"
      + "|заказ\\p{L}*|номер\\p{L}*|сч[её]т\\p{L}*|pedido|factura|commande|facture|bestellung|rechnung"
      + "|ordine|fattura|sipariş\\p{L}*|fatura|zamówieni\\p{L}*|pesanan|đơn hàng|הזמנה"
      // cards and accounts
      + "|ending|ends|terminating|card|a/c|acct|account|карт\\p{L}*|tarjeta|terminada en|cartão|final"
      + "|carte|se terminant par|karte|endet auf|carta|kart\\p{L}*|hesap|konto|rachunek|rekening|kartu"
      // phone numbers
      + "|call|tel|phone|ph|fax|mobile|dial|hotline|helpline|звоните|тел|телефон\\p{L}*|teléfono"
      + "|telefone|téléphone|telefon\\p{L}*"
      + "|(?:stop|unsubscribe|help)\\s(?:\\p{L}{1,10}\\s)?to"
      + ")(?:\\s(?:no\\.?|nr\\.?|number|num|id|in|with|on|by|par|en|auf))?"
      + "|尾号|卡号|订单号?|单号|账号|手机号|注文番号|주문번호|카드|계좌"
      + ")[\\s:#№.*xX•-]{0,8}$", FLAGS);

  // Bank texts carry amounts next to the code; currency marks and units tell them apart.
  private static final Pattern AMOUNT_BEFORE = Pattern.compile("(?:[$€£¥₹₽₺₩₫₴₪฿]"
      + "|" + NOT_LETTER_BEFORE + "(?:usd|eur|gbp|inr|rs|rub|руб|rp|idr|tl|aed|sar|brl|mxn|pln|zł|cny"
      + "|rmb|jpy|krw|vnd|uah|kzt|chf|amount|amt|sum|total|balance|bal|spent|paid|debited|credited"
      + "|сумма|баланс|списано|зачислено|importe|monto|valor|montant|solde|betrag|importo|tutar"
      + "|bakiye|kwota|jumlah|saldo)"
      + "|金额|余额|金額|잔액|금액"
      + ")[\\s:.]{0,3}$", FLAGS);

  private static final Pattern AMOUNT_OR_UNIT_AFTER = Pattern.compile("\\s?(?:[$€£¥₹₽₺₩₴₪฿%]"
      + "|(?:usd|eur|gbp|inr|rub|руб\\p{L}*|р\\.|tl|zł|zl|pln|dollars?|euros?|rupees?|reais|pesos?|lira"
      + "|vnd|đ|dh|sar|aed|грн|тг|mb|gb|kb|km|kg|mg|ml|mah|min|mins|minutes?|minutos?|minuten"
      + "|минут\\p{L}*|sec|secs|seconds?|hours?|hrs|days?|dias|días|points?|pts|coins?|credits?|miles|steps|units|sms)"
      + NOT_LETTER_AFTER
      + "|元|円|원|块|分钟)", FLAGS);

  // Codes can look like years, so 19xx/20xx is dropped only where a date or "since" says it is one.
  private static final Pattern DATE_BEFORE_YEAR = Pattern.compile("(?:"
      + NOT_LETTER_BEFORE + "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\\p{L}{0,7}\\.?,?\\s"
      + "(?:[0-9]{1,2}(?:st|nd|rd|th)?,?\\s)?"
      + "|" + NOT_LETTER_BEFORE + "(?:in|since|until|till|from|by|year|of|до|с|в)\\s"
      + "|©\\s?|\\(c\\)\\s?"
      + ")$", FLAGS);
  private static final Pattern DATE_AFTER_YEAR = Pattern.compile("\\s?(?:年|г\\.|год\\p{L}*|yılı)", FLAGS);

  // Card masks (XX1234), promo words (SAVE20) and quantities (10MIN, 24H) pass the candidate shape.
  private static final Pattern CARD_MASK = Pattern.compile("[xX*]{2,}[0-9]+");
  private static final Pattern WORD_WITH_NUMBER = Pattern.compile("[A-Za-z]{4,}[0-9]{1,2}|[0-9]+[A-Za-z]{1,3}");
  // Some senders glue the label to the code ("OTP482913"); the digits are still the code.
  private static final Pattern GLUED_LABEL = Pattern.compile("(?:otp|pin|code|tan)(?=[0-9]{4,8}$)", FLAGS);

  // --- letter-only codes: upper case, and never one of the words that stand where a code would ---

  private static final Pattern LETTER_CODE = Pattern.compile("[A-Z]{4,8}");
  private static final Set<String> WORDS_AFTER_CODE = Set.of(
      "READY", "VALID", "INVALID", "BELOW", "ABOVE", "HERE", "THERE", "SENT", "RESENT", "EXPIRED", "EXPIRES",
      "ACTIVE", "INACTIVE", "USED", "UNUSED", "WRONG", "CORRECT", "INCORRECT", "REQUIRED", "NEEDED", "PENDING",
      "UNKNOWN", "NULL", "NONE", "EMPTY", "BLOCKED", "LOCKED", "DONE", "FREE", "TRUE", "FALSE", "ERROR", "FAILED",
      "CHANGED", "RESET", "HELP", "STOP", "CODE", "CODES", "PASSWORD", "SECRET", "PRIVATE", "ATTACHED", "ENCLOSED",
      "SHOWN", "UPDATED", "CONFIRMED", "VERIFIED", "ACCEPTED", "REJECTED", "DECLINED", "CANCELED", "CANCELLED",
      "APPROVED", "ENABLED", "DISABLED", "REQUESTED", "RECEIVED", "YOUR", "THIS", "THAT", "WITH", "FROM", "TEXT",
      "EMAIL", "LINK", "PHONE", "NUMBER", "TEMPORARY", "SECURITY", "LOGIN", "ACCESS", "OKAY", "GOOD", "SAFE",
      "NEXT", "AGAIN", "LATER", "SOON", "ONLY", "ONCE", "CHECK", "ENTER", "AQUI", "ABAIXO", "LISTO", "VALIDO",
      "UNTEN", "GUELTIG", "GILTIG");
  // Between the keyword and a letter-only code: a separator or a verb, nothing else ("code is: FQKRX").
  private static final Pattern KEYWORD_TO_LETTER_CODE = Pattern.compile(
      "\\s{0,2}(?:[:#-]\\s{0,2}|(?:is|est|es|é|ist|lautet)(?:\\s?:)?\\s{1,2})?", FLAGS);
  // After it: the end of the sentence or of the text, so "code ABCD to get started" is not one.
  private static final Pattern LETTER_CODE_CLOSES = Pattern.compile("[ \\t]*(?:[.,;:!?()\\]]|\\r?\\n|$)");

  // --- tier 2: keywords, one pattern per language group ---

  private static final List<Pattern> KEYWORDS = List.of(
      // English; "code" also serves French, Dutch, German and Swedish texts
      word("(?:(?:verification|security|confirmation|login|sign-in|access|authentication|activation"
          + "|one-time|one time)\\s)?(?:pass)?codes?"),
      word("otp|pin|one-time password|password|2fa|(?-i:TAN)"),
      word("код(?:а|у|ом|ы)?|парол\\p{L}{0,3}"), // Russian, Ukrainian
      word("c[óo]digo|clave|senha"), // Spanish, Portuguese
      word("codice"), // Italian
      word("mot de passe"), // French
      word("(?:bestätigungs|sicherheits|verifizierungs|anmelde|zugangs|einmal|verificatie|bevestigings"
          + "|beveiligings|inlog)code"), // German, Dutch
      word("kod(?:u|e|em|unuz|udur|unuzdur)?|şifre\\p{L}{0,4}"), // Turkish, Polish, Indonesian
      word("mã|ma (?:xac (?:thuc|nhan)|otp)"), // Vietnamese, with and without accents
      word("[הבל]?קוד|סיסמ\\p{L}{0,2}"), // Hebrew
      word("(?:ال|بال)?رمز(?:ك|كم)?|(?:ال)?كود(?:ك)?|[کك]د"), // Arabic, Persian
      word("(?:vahvistus)?koodi|kód|κωδικ\\p{L}{0,3}|कोड|ओटीपी"), // Finnish, Czech, Greek, Hindi
      anywhere("验证码|驗證碼|校验码|动态码|动态密码|确认码"), // Chinese
      anywhere("認証番号|確認コード|認証コード|確認番号|ワンタイムパスワード"), // Japanese
      anywhere("인증\\s?번호|인증\\s?코드|확인\\s?코드"), // Korean
      anywhere("รหัส")); // Thai

  // "promo code", "zip code", "code postal": the keyword is there, but not for a one-time code.
  private static final Pattern OTHER_CODE_BEFORE_KEYWORD = Pattern.compile(NOT_LETTER_BEFORE
      + "(?:promo|promotional|discount|coupon|voucher|referral|gift|zip|postal|post|area|country|dial"
      + "|dialing|qr|source|error|status|bar|tracking|product|swift|sort|tax|ussd|short|ifsc|branch"
      + "|invite|invitation|colou?r|dress|booking|reservation)[\\s-]?$", FLAGS);
  private static final Pattern OTHER_CODE_AFTER_KEYWORD = Pattern.compile("[\\s-]?(?:postal\\p{L}*"
      + "|promo\\p{L}*|de descuento|de réduction|de barras|qr|sconto|of conduct|города|скидк\\p{L}*)"
      + NOT_LETTER_AFTER, FLAGS);
  private static final Pattern SENTENCE_BREAK = Pattern.compile("[.!?](?=\\s)|[。！？]|\\n[ \\t\\r]*\\n");

  // --- tier 3: the fallback stays silent when the text talks about another kind of code ---

  private static final Pattern OTHER_CODE_WORD = Pattern.compile(NOT_LETTER_BEFORE
      + "(?:\\p{L}+code|promo\\p{L}*|coupon\\p{L}*|discount\\p{L}*|voucher\\p{L}*|zip|postcode|postal"
      + "|tracking)" + NOT_LETTER_AFTER, FLAGS);

  public CodeExtractor() {}

  /**
   * @param serviceCode sms-activate short code of the activation's service ({@code wa}, {@code tg},
   *     ...); {@code null} or unknown codes skip the service tier
   * @param text the message text; {@code null} yields empty
   * @return the code, or empty when the text holds none or holds several equally likely ones
   */
  public Optional<ExtractedCode> extract(String serviceCode, String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    Text t = Text.of(text);
    Optional<Candidate> found = originBound(t);
    if (found.isEmpty()) {
      List<Candidate> candidates = candidates(t);
      if (!candidates.isEmpty()) {
        List<Span> keywords = keywordSpans(t);
        Optional<ServiceRules.ServiceRule> rule = ServiceRules.forService(serviceCode);
        found = rule.flatMap(r -> byService(r, t, candidates, keywords))
            .or(() -> byKeyword(rule, t, candidates, keywords))
            .or(() -> lone(t, candidates));
      }
    }
    return found.map(c -> new ExtractedCode(c.code(), c.display()));
  }

  // --- tiers (origin-bound is tier 0) ---

  private static Optional<Candidate> originBound(Text t) {
    String s = t.norm();
    int end = s.length();
    while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    int start = s.lastIndexOf('\n', end - 1) + 1;
    while (start < end && Character.isWhitespace(s.charAt(start))) {
      start++;
    }
    Matcher m = ORIGIN_BOUND_LINE.matcher(s).region(start, end);
    return m.matches() ? classify(t, m.start(1), m.end(1)) : Optional.empty();
  }

  private static Optional<Candidate> byService(
      ServiceRules.ServiceRule rule, Text t, List<Candidate> candidates, List<Span> keywords) {
    List<Candidate> shaped = new ArrayList<>();
    for (Candidate c : candidates) {
      if ((c.kind() != Kind.LETTERS || rule.letterCodes()) && rule.shape().matcher(c.written()).matches()) {
        shaped.add(c);
      }
    }
    List<Span> anchors = new ArrayList<>(keywords);
    anchors.addAll(spans(t.norm(), rule.brand()));
    return nearest(t, shaped, anchors);
  }

  /** Tier 2: a candidate with a digit nearest a keyword; failing that, a letter-only code right after one. */
  private static Optional<Candidate> byKeyword(
      Optional<ServiceRules.ServiceRule> rule, Text t, List<Candidate> candidates, List<Span> keywords) {
    List<Candidate> withDigits = new ArrayList<>();
    for (Candidate c : candidates) {
      if (c.kind() != Kind.LETTERS) {
        withDigits.add(c);
      }
    }
    return nearest(t, withDigits, keywords).or(() -> letterCodeAfterKeyword(rule, t, candidates, keywords));
  }

  /** The one letter-only code written right after a keyword and closing its sentence; empty when several are. */
  private static Optional<Candidate> letterCodeAfterKeyword(
      Optional<ServiceRules.ServiceRule> rule, Text t, List<Candidate> candidates, List<Span> keywords) {
    String s = t.norm();
    return onlyCode(candidates, c -> c.kind() == Kind.LETTERS
        && rule.map(r -> r.shape().matcher(c.written()).matches()).orElse(true)
        && startsAfter(LETTER_CODE_CLOSES, s, c.end(), s.length())
        && keywords.stream().anyMatch(k -> k.end() <= c.start()
            && KEYWORD_TO_LETTER_CODE.matcher(s).region(k.end(), c.start()).matches()));
  }

  private static Optional<Candidate> nearest(Text t, List<Candidate> candidates, List<Span> anchors) {
    Candidate best = null;
    int bestScore = Integer.MAX_VALUE;
    for (Candidate c : candidates) {
      for (Span a : anchors) {
        int score = distance(t.norm(), c, a);
        if (score < bestScore) {
          bestScore = score;
          best = c;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Lower is nearer; {@code Integer.MAX_VALUE} when the candidate is out of the keyword's reach. */
  private static int distance(String s, Candidate c, Span anchor) {
    int gapStart;
    int gapEnd;
    int penalty = c.kind() == Kind.DIGITS ? 0 : ALPHANUMERIC_PENALTY;
    if (c.start() >= anchor.start()) {
      gapStart = Math.min(anchor.end(), c.start());
      gapEnd = c.start();
    } else {
      gapStart = c.end();
      gapEnd = Math.max(c.end(), anchor.start());
      penalty += BEFORE_KEYWORD_PENALTY;
    }
    int gap = gapEnd - gapStart;
    if (gap > WINDOW) {
      return Integer.MAX_VALUE;
    }
    if (SENTENCE_BREAK.matcher(s).region(gapStart, gapEnd).useTransparentBounds(true).find()) {
      penalty += SENTENCE_BREAK_PENALTY;
    }
    return gap + penalty;
  }

  private static Optional<Candidate> lone(Text t, List<Candidate> candidates) {
    if (OTHER_CODE_WORD.matcher(t.norm()).find()) {
      return Optional.empty();
    }
    return onlyCode(candidates, c -> c.kind() == Kind.DIGITS && !c.yearLike());
  }

  /** The first eligible candidate when every eligible one reads as the same code; empty when none or several. */
  private static Optional<Candidate> onlyCode(List<Candidate> candidates, Predicate<Candidate> eligible) {
    Candidate only = null;
    for (Candidate c : candidates) {
      if (!eligible.test(c)) {
        continue;
      }
      if (only != null && !only.code().equals(c.code())) {
        return Optional.empty();
      }
      if (only == null) {
        only = c;
      }
    }
    return Optional.ofNullable(only);
  }

  // --- candidates ---

  private static List<Candidate> candidates(Text t) {
    List<Candidate> found = new ArrayList<>();
    Matcher m = CANDIDATE.matcher(t.norm());
    while (m.find()) {
      classify(t, m.start(), m.end())
          .filter(c -> !looksLikeSomethingElse(t.norm(), c))
          .ifPresent(found::add);
    }
    return found;
  }

  private static Optional<Candidate> classify(Text t, int start, int end) {
    String written = t.norm().substring(start, end);
    String display = t.shown().substring(start, end);
    if (written.startsWith("G-") || written.startsWith("FB-")) {
      String digits = written.substring(written.indexOf('-') + 1);
      return Optional.of(new Candidate(start, end, written, digits, display, Kind.DIGITS));
    }
    if (written.indexOf('-') >= 0 || written.indexOf(' ') >= 0) {
      String digits = written.replace("-", "").replace(" ", "");
      return Optional.of(new Candidate(start, end, written, digits, display, Kind.DIGITS));
    }
    if (isDigits(written)) {
      return written.length() <= 8
          ? Optional.of(new Candidate(start, end, written, written, display, Kind.DIGITS))
          : Optional.empty();
    }
    Matcher glued = GLUED_LABEL.matcher(written);
    if (glued.lookingAt()) {
      return classify(t, start + glued.end(), end);
    }
    if (LETTER_CODE.matcher(written).matches()) {
      return WORDS_AFTER_CODE.contains(written)
          ? Optional.empty()
          : Optional.of(new Candidate(start, end, written, written, display, Kind.LETTERS));
    }
    return plausibleAlphanumeric(written)
        ? Optional.of(new Candidate(start, end, written, written.toUpperCase(Locale.ROOT), display, Kind.ALPHANUMERIC))
        : Optional.empty();
  }

  private static boolean plausibleAlphanumeric(String s) {
    if (s.chars().noneMatch(Character::isDigit)
        || CARD_MASK.matcher(s).matches()
        || WORD_WITH_NUMBER.matcher(s).matches()) {
      return false;
    }
    if (s.equals(s.toUpperCase(Locale.ROOT))) {
      return true;
    }
    // Lower-case tokens are mostly words with a number glued on ("user1234", "10min"); codes mix freely.
    return s.length() >= 6 && letterDigitSwitches(s) >= 3;
  }

  private static int letterDigitSwitches(String s) {
    int switches = 0;
    for (int i = 1; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i)) != Character.isDigit(s.charAt(i - 1))) {
        switches++;
      }
    }
    return switches;
  }

  private static boolean looksLikeSomethingElse(String s, Candidate c) {
    int from = Math.max(0, c.start() - CONTEXT);
    int to = Math.min(s.length(), c.end() + CONTEXT);
    return endsBefore(PART_OF_NUMBER_BEFORE, s, from, c.start())
        || startsAfter(PART_OF_NUMBER_AFTER, s, c.end(), to)
        || endsBefore(LABEL_BEFORE, s, from, c.start())
        || endsBefore(AMOUNT_BEFORE, s, from, c.start())
        || startsAfter(AMOUNT_OR_UNIT_AFTER, s, c.end(), to)
        || c.yearLike() && (endsBefore(DATE_BEFORE_YEAR, s, from, c.start())
            || startsAfter(DATE_AFTER_YEAR, s, c.end(), to));
  }

  // --- keywords ---

  private static List<Span> keywordSpans(Text t) {
    String s = t.norm();
    List<Span> found = new ArrayList<>();
    for (Pattern keyword : KEYWORDS) {
      for (Span span : spans(s, keyword)) {
        if (!aboutAnotherKindOfCode(s, span)) {
          found.add(span);
        }
      }
    }
    return found;
  }

  private static boolean aboutAnotherKindOfCode(String s, Span keyword) {
    return endsBefore(OTHER_CODE_BEFORE_KEYWORD, s, Math.max(0, keyword.start() - CONTEXT), keyword.start())
        || startsAfter(OTHER_CODE_AFTER_KEYWORD, s, keyword.end(), Math.min(s.length(), keyword.end() + CONTEXT));
  }

  // --- helpers ---

  private static List<Span> spans(String s, Pattern p) {
    List<Span> found = new ArrayList<>();
    Matcher m = p.matcher(s);
    while (m.find()) {
      found.add(new Span(m.start(), m.end()));
    }
    return found;
  }

  /** True when {@code p}, which ends in {@code $}, matches text ending exactly at {@code to}. */
  private static boolean endsBefore(Pattern p, String s, int from, int to) {
    return p.matcher(s).region(from, to).useTransparentBounds(true).find();
  }

  private static boolean startsAfter(Pattern p, String s, int from, int to) {
    return p.matcher(s).region(from, to).useTransparentBounds(true).lookingAt();
  }

  private static boolean isDigits(String s) {
    return s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
  }

  private static Pattern word(String alternatives) {
    return Pattern.compile(NOT_LETTER_BEFORE + "(?:" + alternatives + ")" + NOT_LETTER_AFTER, FLAGS);
  }

  // Chinese, Japanese and Korean write no spaces between words, so no boundary can be asked for.
  private static Pattern anywhere(String alternatives) {
    return Pattern.compile(alternatives, FLAGS);
  }

  private record Span(int start, int end) {}

  /** What a candidate is made of: digits (perhaps split or prefixed), letters and digits, or letters alone. */
  private enum Kind { DIGITS, ALPHANUMERIC, LETTERS }

  /**
   * @param written the candidate in the canonical text (ASCII digits, plain spaces and hyphens)
   * @param code normalised code
   * @param display the candidate as written in the original text
   */
  private record Candidate(int start, int end, String written, String code, String display, Kind kind) {

    boolean yearLike() {
      return written.length() == 4 && (written.startsWith("19") || written.startsWith("20")) && isDigits(written);
    }
  }

  /**
   * The message twice, index for index: {@code shown} as received (capped, NFC), {@code norm} with
   * digits, spaces and hyphens made ASCII and the app hash blanked, so
   * patterns stay simple while a display can still be cut from the original.
   */
  private record Text(String shown, String norm) {

    static Text of(String raw) {
      String shown = cap(Normalizer.normalize(cap(raw), Normalizer.Form.NFC));
      char[] norm = new char[shown.length()];
      for (int i = 0; i < norm.length; i++) {
        norm[i] = canonical(shown.charAt(i));
      }
      blankAppHash(norm);
      return new Text(shown, new String(norm));
    }

    private static String cap(String s) {
      return s.length() <= MAX_INPUT_CHARS ? s : s.substring(0, MAX_INPUT_CHARS);
    }

    private static char canonical(char ch) {
      if (ch > '9' && Character.isDigit(ch)) {
        return (char) ('0' + Character.digit(ch, 10));
      }
      switch (ch) {
        case '\u00A0': case '\u2007': case '\u2009': case '\u202F':
          return ' ';
        case '\u2010': case '\u2011': case '\u2012': case '\u2013': case '\u2212': case '\uFF0D':
          return '-';
        case '\uFF1A':
          return ':';
        default:
          return ch;
      }
    }

    /** SMS Retriever appends an 11-character app hash as the last token; it is never the code. */
    private static void blankAppHash(char[] s) {
      int end = s.length;
      while (end > 0 && Character.isWhitespace(s[end - 1])) {
        end--;
      }
      int start = end - APP_HASH_LENGTH;
      if (start < 1 || !Character.isWhitespace(s[start - 1])) {
        return;
      }
      for (int i = start; i < end; i++) {
        char ch = s[i];
        boolean hashChar = ch < 128 && (Character.isLetterOrDigit(ch) || ch == '+' || ch == '/');
        if (!hashChar) {
          return;
        }
      }
      blank(s, start, end);
    }

    private static void blank(char[] s, int from, int to) {
      for (int i = from; i < to; i++) {
        s[i] = ' ';
      }
    }
  }
}
