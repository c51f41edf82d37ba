package io.verigate.server.inbound;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tier 1 of {@link CodeExtractor}: for every service of the catalog, by its sms-activate code, the names its
 * messages carry (brand, sender tag, name in its home script) and the shape of the codes it sends.
 *
 * <p>A brand anchors a code the way a keyword does, so "Gett 3309" is read even with no word for "code" in it.
 * Where a service's format is well known the shape is narrow; elsewhere it is {@link #USUAL}. A shape that is
 * too narrow only costs the tier, because the keyword tier still sees every candidate. Short or common-word
 * brands ("line", "wish", "bolt") are bounded with {@code \b} so they do not match inside other words.
 */
final class ServiceRules {

  /**
   * @param brand names that mark a message as the service's, matched case-insensitively
   * @param shape what the service's codes look like, as written (before normalisation), matched case-sensitively
   * @param letterCodes whether the service sends codes of letters alone, which this tier may then pick; the
   *     shape must be narrow enough to tell them from words
   */
  record ServiceRule(Pattern brand, Pattern shape, boolean letterCodes) {}

  /** For services whose format is not well known: what most send, 4-8 digits, perhaps split in two halves. */
  private static final String USUAL = "[0-9]{4,8}|[0-9]{3}[- ][0-9]{3}|[0-9]{4}[- ][0-9]{4}";
  private static final String SIX = "[0-9]{6}";
  private static final String GOOGLE = "G-[0-9]{6}|[0-9]{6}";
  private static final String MICROSOFT = "[0-9]{4,8}";
  /**
   * Steam Guard: five characters from an alphabet without vowels, 0, 1, L, S or Z, so even a code of letters
   * alone ("FQKRX") cannot be an English word of the message.
   */
  private static final String STEAM_GUARD = "[23456789BCDFGHJKMNPQRTVWXY]{5}";
  /** "Any other" has no brand to look for and no shape to prefer: keywords alone anchor, as in tier 2. */
  private static final String NO_BRAND = "(?!)";
  private static final String ANY_SHAPE = ".+";

  private static final Map<String, ServiceRule> RULES = Map.ofEntries(
      rule("ab", "alibaba|阿里巴巴", USUAL),
      rule("ac", "doordash", SIX),
      rule("am", "amazon", SIX),
      rule("an", "adidas", USUAL),
      rule("aq", "glovo", USUAL),
      rule("av", "avito|авито", USUAL),
      rule("bc", "gcash", SIX),
      rule("bd", "\\bx5(?: ?id)?\\b|пят[её]рочк\\p{L}*|перекр[её]ст\\p{L}*|\\b5ka\\b", USUAL),
      rule("bl", "\\bbigo\\b", USUAL),
      rule("bo", "\\bwise\\b|transferwise", USUAL),
      rule("bw", "signal", "[0-9]{3}-[0-9]{3}|[0-9]{6}"),
      rule("bz", "blizzard|battle\\.?net", USUAL),
      rule("cn", "fiverr", USUAL),
      rule("cq", "mercado ?(?:libre|livre|pago)", USUAL),
      rule("dh", "\\bebay\\b", USUAL),
      rule("dl", "lazada", USUAL),
      rule("dp", "\\bproton(?: ?mail)?\\b", SIX),
      rule("dr", "openai|chatgpt", SIX),
      rule("ds", "discord", SIX),
      rule("et", "clubhouse", USUAL),
      rule("ew", "\\bnike\\b", USUAL),
      rule("fb", "facebook|(?-i:FB)", "FB-[0-9]{5,8}|[0-9]{5,8}"),
      rule("fd", "\\bmamba\\b|мамба", USUAL),
      rule("fs", "[şs]ikayet ?var", USUAL),
      rule("fu", "snapchat", SIX),
      rule("ge", "paytm", USUAL),
      rule("gf", "google voice|google|(?-i:G-)", GOOGLE),
      rule("go", "google|gmail|youtube|(?-i:G-)", GOOGLE),
      rule("gp", "ticketmaster", USUAL),
      rule("gt", "\\bgett\\b", USUAL),
      rule("hb", "twitch", USUAL),
      rule("hw", "alipay|支付宝", USUAL),
      rule("hx", "aliexpress", USUAL),
      rule("ig", "instagram", "[0-9]{3} ?[0-9]{3}"),
      rule("ij", "revolut", USUAL),
      rule("im", "\\bimo\\b", USUAL),
      rule("ip", "burger ?king", USUAL),
      rule("iq", "\\bicq\\b", USUAL),
      rule("jg", "\\bgrab(?:taxi)?\\b", USUAL),
      rule("ka", "shopee", USUAL),
      rule("kc", "vinted", USUAL),
      rule("kf", "weibo|微博", USUAL),
      rule("kt", "kakao|카카오", USUAL),
      rule("kw", "\\bfoody\\b", USUAL),
      rule("lf", "tik ?tok|抖音", "[0-9]{4,6}"),
      rule("ls", "careem", USUAL),
      rule("ma", "mail\\.?ru", USUAL),
      rule("mb", "yahoo", "[0-9]{5,8}|[A-Z0-9]{8}"),
      rule("mc", "michat", USUAL),
      rule("me", "\\bline\\b", USUAL),
      rule("mj", "\\bzalo\\b", USUAL),
      rule("mm", "microsoft|outlook|hotmail|skype", MICROSOFT),
      rule("mo", "bumble", USUAL),
      letterRule("mt", "\\bsteam\\b|\\bvalve\\b", STEAM_GUARD),
      rule("nf", "netflix", "[0-9]{4,6}"),
      rule("ni", "go-?jek", USUAL),
      rule("nu", "\\bstripe\\b", USUAL),
      rule("nv", "naver|네이버", USUAL),
      rule("nz", "foodpanda", USUAL),
      rule("oi", "tinder", SIX),
      rule("ok", "odnoklassniki|одноклассники|ok\\.ru|\\bok\\b|\\bок\\b", "[0-9]{4,6}"),
      rule("ot", NO_BRAND, ANY_SHAPE),
      rule("pm", "\\baol\\b", USUAL),
      rule("pr", "trendyol", USUAL),
      rule("qd", "taobao|淘宝", USUAL),
      rule("qq", "\\bqq\\b|tencent|腾讯", USUAL),
      rule("qr", "\\bmega\\b", USUAL),
      rule("qw", "\\bqiwi\\b|\\bкиви\\b", USUAL),
      rule("rc", "skype|microsoft", MICROSOFT),
      rule("re", "coinbase", USUAL),
      rule("rx", "sheerid", USUAL),
      rule("ry", "mcdonald'?s?|макдоналдс", USUAL),
      rule("sd", "\\bdodo\\b|\\bдодо\\b", USUAL),
      rule("sg", "\\bozon\\b|\\bозон\\b", USUAL),
      rule("sn", "\\bolx\\b", USUAL),
      rule("tg", "telegram|телеграм|login code|код для входа", "[0-9]{5,6}"),
      rule("ti", "crypto\\.?com|crypto com", USUAL),
      rule("tl", "truecaller", USUAL),
      rule("tn", "linkedin", SIX),
      rule("ts", "paypal", SIX),
      rule("tu", "\\blyft\\b", "[0-9]{4}"),
      rule("tw", "twitter|(?-i:\\bX\\b)", "[0-9]{6,8}|[A-Za-z0-9]{8}"),
      rule("tx", "\\bbolt\\b|taxify", USUAL),
      rule("ua", "blablacar", USUAL),
      rule("ub", "uber", "[0-9]{4}"),
      rule("uk", "airbnb", SIX),
      rule("ul", "\\bgetir\\b", USUAL),
      rule("vi", "viber", SIX),
      rule("vk", "vkontakte|вконтакте|\\bvk\\b|\\bвк\\b", "[0-9]{4,6}"),
      rule("vm", "okcupid", USUAL),
      rule("vp", "\\bkwai\\b|快手", USUAL),
      rule("vz", "\\bhinge\\b", USUAL),
      rule("wa", "whatsapp|ватсап|واتساب", "[0-9]{3}-[0-9]{3}|[0-9]{6}"),
      rule("wb", "wechat|weixin|微信", "[0-9]{4,6}"),
      rule("wc", "craigslist", USUAL),
      rule("we", "drugvokrug|друг вокруг", USUAL),
      rule("wg", "\\bskout\\b", USUAL),
      rule("wh", "tantan|探探", USUAL),
      rule("wx", "\\bapple\\b|icloud", SIX),
      rule("xk", "\\bdidi\\b|滴滴", USUAL),
      rule("xr", "\\btango\\b", USUAL),
      rule("xt", "flipkart", USUAL),
      rule("xv", "\\bwish\\b", USUAL),
      rule("ya", "yandex|яндекс", USUAL),
      rule("yl", "\\byalla\\b", USUAL),
      rule("yw", "grindr", USUAL),
      rule("yy", "venmo", SIX),
      rule("za", "jd\\.com|\\bjd\\b|jingdong|京东", USUAL),
      rule("zh", "\\bzoho\\b", USUAL),
      rule("zk", "deliveroo", USUAL),
      rule("zm", "offerup", USUAL));

  private ServiceRules() {}

  /** The rule of a service code in any case and with stray spaces; empty for null and unknown codes. */
  static Optional<ServiceRule> forService(String serviceCode) {
    return serviceCode == null ? Optional.empty()
        : Optional.ofNullable(RULES.get(serviceCode.trim().toLowerCase(Locale.ROOT)));
  }

  private static Map.Entry<String, ServiceRule> rule(String service, String brand, String shape) {
    return entry(service, brand, shape, false);
  }

  /** A service that may send codes of letters alone, in the given shape. */
  private static Map.Entry<String, ServiceRule> letterRule(String service, String brand, String shape) {
    return entry(service, brand, shape, true);
  }

  /**
   * Brands are matched with Unicode word boundaries: since JDK 19 a plain {@code \b} only knows ASCII letters, so
   * {@code \bдодо\b} would never match on a newer runtime.
   */
  private static Map.Entry<String, ServiceRule> entry(String service, String brand, String shape, boolean letters) {
    return Map.entry(service, new ServiceRule(
        Pattern.compile(brand, CodeExtractor.FLAGS | Pattern.UNICODE_CHARACTER_CLASS), Pattern.compile(shape), letters));
  }
}
