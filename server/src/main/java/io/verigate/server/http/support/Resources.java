package io.verigate.server.http.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Files a page serves from the jar: read once at start, so a packaging mistake fails the start, not a request. */
public final class Resources {
  private Resources() {}

  public static byte[] read(String resource) {
    try (InputStream in = Resources.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /**
   * The folder of a WebJar's files, e.g. {@code /META-INF/resources/webjars/htmx.org/2.0.10/}, with the version read
   * from the WebJar's Maven descriptor, so that upgrading it is a change of the pom only.
   */
  public static String webJar(String groupId, String artifactId) {
    Properties descriptor = new Properties();
    String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = Resources.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the " + artifactId + " WebJar is missing from the classpath");
      }
      descriptor.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + artifactId + " WebJar's descriptor", e);
    }
    return "/META-INF/resources/webjars/" + artifactId + "/" + descriptor.getProperty("version") + "/";
  }
}
