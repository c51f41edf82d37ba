package io.verigate.server.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The one version string of this build, the Maven project's version written into a resource at build time: what
 * {@code verigate --version}, {@code /health} and the API document's {@code info.version} all say.
 */
public final class Version {
  private static final String RESOURCE = "version.properties";
  private static final String CURRENT = read();

  private Version() {}

  public static String current() {
    return CURRENT;
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing beside " + Version.class.getName());
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "");
      if (version.isBlank() || version.contains("${")) {
        // an IDE that copies resources without Maven's filtering
        throw new IllegalStateException(RESOURCE + " was not filled in by the build: '" + version + "'");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
