package io.verigate.server.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The node's data directory (the embedded database, the first start's credentials, the generated master key) is
 * its owner's alone: the directory is {@code 0700} and every file in it {@code 0600}. Java cannot set a umask, so the
 * directory is created with its mode, the node's own secret files are created with theirs, and what the database
 * engine created with the process's umask is taken back to {@code 0600} at every start. Files the engine adds while
 * the node runs sit inside the {@code 0700} directory until then. Files of other names are left as they are: an operator
 * may point {@code data-dir} at a directory that holds more than the node's. On a file system without POSIX modes
 * nothing is changed.
 */
public final class DataDirectory {
  /** Where the first start keeps the sandbox key and admin token it showed. */
  public static final String CREDENTIALS_FILE = "credentials.txt";
  /** The name the embedded database's files start with, in the default {@code db-url}. */
  static final String EMBEDDED_DATABASE = "verigate";
  static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

  private DataDirectory() {}

  /** Creates the directory owner-only, or takes an existing one and the files in it back to owner-only. */
  public static void prepare(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, modeOr(DIRECTORY_MODE, dir));
      }
      setMode(dir, DIRECTORY_MODE);
      restrictFiles(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the data directory " + dir, e);
    }
  }

  /** Every file of the node's in the directory, {@code 0600}: run once the database has opened its files. */
  public static void restrictFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).filter(DataDirectory::isNodes).toList()) {
        setMode(file, FILE_MODE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict the files in " + dir, e);
    }
  }

  /**
   * Writes a file that only its owner can read from the moment it exists: created anew with its mode rather than
   * changed afterwards, so a file left there before (stale, or readable by others) is replaced.
   */
  public static void writeSecret(Path file, List<String> lines) {
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, modeOr(FILE_MODE, file));
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The embedded database's files (verigate.mv.db, its lock and trace files), the credentials and the master key. */
  private static boolean isNodes(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(EMBEDDED_DATABASE + ".") || name.equals(CREDENTIALS_FILE)
        || name.equals(SecretsAtRest.KEY_FILE);
  }

  private static FileAttribute<?>[] modeOr(Set<PosixFilePermission> mode, Path near) {
    return posix(near) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
  }

  private static void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
    if (posix(path)) {
      Files.setPosixFilePermissions(path, mode);
    }
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
