package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.App;
import io.verigate.server.testing.ListeningSockets.Listener;
import io.verigate.server.testing.ListeningSockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node as a default install runs it: without a {@code db-url}, on the embedded H2 file in its data directory, on the
 * real file system and network stack.
 */
class EmbeddedNodeTest {
  @TempDir
  Path root;

  @Test
  void listensOnItsHttpPortAndNothingElse() {
    Set<Listener> before = ListeningSockets.ofThisProcess();

    try (App app = start(dataDir(), Map.of())) {
      Set<Listener> opened = new HashSet<>(ListeningSockets.ofThisProcess());
      opened.removeAll(before);

      assertThat(opened).extracting(Listener::port).containsExactly(app.port());
    }
  }

  @Test
  void aDatabaseListenerTheOperatorAsksForListensOnLoopbackOnly() {
    Path dir = dataDir();
    Set<Listener> before = ListeningSockets.ofThisProcess();

    try (App app = start(dir, Map.of("db-url", "jdbc:h2:file:" + dir.toAbsolutePath().resolve("verigate")
        + ";AUTO_SERVER=TRUE"))) {
      Set<Listener> opened = new HashSet<>(ListeningSockets.ofThisProcess());
      opened.removeAll(before);
      opened.removeIf(listener -> listener.port() == app.port());

      assertThat(opened).as("H2's AUTO_SERVER listener").hasSize(1).allMatch(Listener::onLoopback);
    }
  }

  @Test
  void keepsItsDataDirectoryAndEveryFileInItToItsOwner() throws IOException {
    Path dir = dataDir();

    try (App app = start(dir, Map.of())) {
      assertOwnerOnly(dir);
      assertThat(fileNames(dir)).contains("verigate.mv.db", DataDirectory.CREDENTIALS_FILE, SecretsAtRest.KEY_FILE);
    }
  }

  @Test
  void takesAnOpenDataDirectoryBackToItsOwnerAtTheNextStart() throws IOException {
    Path dir = dataDir();
    start(dir, Map.of()).close();
    List<String> nodesFiles = fileNames(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String name : nodesFiles) {
      Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
    }
    Path operatorsNote = Files.writeString(dir.resolve("notes.txt"), "not the node's");
    Files.setPosixFilePermissions(operatorsNote, PosixFilePermissions.fromString("rw-r--r--"));

    try (App app = start(dir, Map.of())) {
      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(nodesFiles).allSatisfy(name -> assertThat(mode(dir.resolve(name))).as(name).isEqualTo("rw-------"));
      assertThat(mode(operatorsNote)).as("a file of another name is left as it is").isEqualTo("rw-r--r--");
    }
  }

  @Test
  void printsTheCredentialsOnTheFirstStartOnly() {
    Path dir = dataDir();
    String key;
    String token;
    List<String> firstStart;
    try (App app = start(dir, Map.of())) {
      key = app.credentials().sandboxKey().orElseThrow();
      token = app.credentials().adminToken().orElseThrow();
      firstStart = app.credentials().lines();
    }

    List<String> laterStart;
    try (App app = start(dir, Map.of())) {
      laterStart = app.credentials().lines();
    }

    assertThat(firstStart).containsExactly("Sandbox API key: " + key, "Admin token: " + token);
    assertThat(laterStart).hasSize(1);
    assertThat(laterStart.get(0)).doesNotContain(key, token)
        .contains(dir.resolve(DataDirectory.CREDENTIALS_FILE).toString(), "verigate keys create", "admin-token");
  }

  private Path dataDir() {
    return root.resolve("data");
  }

  private static App start(Path dataDir, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>(Map.of("port", "0", "host", "127.0.0.1", "data-dir", dataDir.toString()));
    values.putAll(overrides);
    return App.create(Config.defaults(values)).start();
  }

  private static void assertOwnerOnly(Path dir) throws IOException {
    assertThat(mode(dir)).isEqualTo("rwx------");
    for (String name : fileNames(dir)) {
      assertThat(mode(dir.resolve(name))).as(name).isEqualTo("rw-------");
    }
  }

  private static String mode(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).map(file -> file.getFileName().toString()).sorted().toList();
    }
  }
}
