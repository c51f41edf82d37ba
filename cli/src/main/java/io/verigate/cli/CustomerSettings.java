package io.verigate.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a customer command finds its API key and node: the command line first, then the environment
 * ({@code VERIGATE_API_KEY}, {@code VERIGATE_URL}), then the config file, then (for the URL) the local node's
 * default address. {@code keySource} says which of them gave the key, for the message when the node refuses it. The
 * config file holds {@code api-key=} and {@code url=} lines; it is {@code --config FILE}, or
 * {@code $XDG_CONFIG_HOME/verigate/config}, or {@code ~/.config/verigate/config}.
 */
record CustomerSettings(String apiKey, String keySource, URI url) {
  static final String DEFAULT_URL = "http://127.0.0.1:7070";
  static final String KEY_ENV = "VERIGATE_API_KEY";
  static final String URL_ENV = "VERIGATE_URL";
  private static final String KEY_SETTING = "api-key";
  private static final String URL_SETTING = "url";
  private static final List<String> SETTINGS = List.of(KEY_SETTING, URL_SETTING);

  /**
   * Resolves the settings.
   *
   * @param keyOption {@code --key}, or null
   * @param urlOption {@code --url}, or null
   * @param configOption {@code --config}, or null for the default file (which may be absent; a given one may not)
   * @param env the process environment
   * @param home the user's home directory
   */
  static CustomerSettings resolve(String keyOption, String urlOption, Path configOption, Map<String, String> env,
      Path home) {
    Path file = configOption != null ? configOption : defaultFile(env, home);
    Map<String, String> config = read(file, configOption != null);
    String url = firstOf(urlOption, env.get(URL_ENV), config.get(URL_SETTING));
    URI node = nodeUrl(url == null ? DEFAULT_URL : url);
    if (present(keyOption)) {
      return new CustomerSettings(keyOption.trim(), "--key", node);
    }
    if (present(env.get(KEY_ENV))) {
      return new CustomerSettings(env.get(KEY_ENV).trim(), KEY_ENV, node);
    }
    if (present(config.get(KEY_SETTING))) {
      return new CustomerSettings(config.get(KEY_SETTING), file.toString(), node);
    }
    throw new OperatorFailure(Main.USAGE, "no API key: pass --key, set " + KEY_ENV + ", or put a line '"
        + KEY_SETTING + "=vg_...' in " + file);
  }

  /** {@code $XDG_CONFIG_HOME/verigate/config}, or {@code ~/.config/verigate/config} as the XDG base directories say. */
  static Path defaultFile(Map<String, String> env, Path home) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
    return base.resolve("verigate").resolve("config");
  }

  private static String firstOf(String... values) {
    for (String value : values) {
      if (present(value)) {
        return value.trim();
      }
    }
    return null;
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static URI nodeUrl(String text) {
    URI url;
    try {
      url = URI.create(text);
    } catch (IllegalArgumentException e) {
      url = null;
    }
    if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
      throw new OperatorFailure(Main.USAGE, "the node's URL must be an http:// or https:// URL, got '" + text + "'");
    }
    return url;
  }

  /** The file's settings: {@code name=value} lines; blank lines and {@code #} comments skipped, unknown names refused. */
  private static Map<String, String> read(Path file, boolean required) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      if (required) {
        throw new OperatorFailure(Main.NO_INPUT, "no such file: " + file);
      }
      return Map.of();
    } catch (IOException e) {
      throw new OperatorFailure(Main.NO_INPUT, "cannot read " + file + ": " + e);
    }
    Map<String, String> settings = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int equals = line.indexOf('=');
      String where = file + " line " + (i + 1) + ": ";
      if (equals < 0) {
        // not echoed: a line without '=' may well be a pasted key
        throw new OperatorFailure(Main.USAGE, where + "expected name=value");
      }
      String name = line.substring(0, equals).trim();
      if (!SETTINGS.contains(name)) {
        throw new OperatorFailure(Main.USAGE, where + "unknown setting '" + name + "' (known: "
            + String.join(", ", SETTINGS) + ")");
      }
      settings.put(name, line.substring(equals + 1).trim());
    }
    return settings;
  }
}
