package io.verigate.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM listens on, as the kernel reports them: the listening entries of {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} whose inode is one of this process's open file descriptors. Linux only.
 */
public final class ListeningSockets {
  private static final String LISTEN = "0A";

  /** One listening socket: its local address in the kernel's hex form (all zeros: every interface) and port. */
  public record Listener(String hexAddress, int port) {
    public boolean onEveryInterface() {
      return hexAddress.chars().allMatch(c -> c == '0');
    }

    /** 127.0.0.1 (stored as little-endian words), as itself or IPv4-mapped, or ::1. */
    public boolean onLoopback() {
      return hexAddress.equals("0100007F") || hexAddress.equals("0000000000000000FFFF00000100007F")
          || hexAddress.equals("00000000000000000000000001000000");
    }
  }

  private ListeningSockets() {}

  public static Set<Listener> ofThisProcess() {
    Set<String> inodes = socketInodes();
    Set<Listener> listeners = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : lines(Path.of(table))) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 9 && fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
          String[] local = fields[1].split(":");
          listeners.add(new Listener(local[0], Integer.parseInt(local[1], 16)));
        }
      }
    }
    return listeners;
  }

  private static Set<String> socketInodes() {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // a descriptor closed while listing it is no listener
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return inodes;
  }

  private static List<String> lines(Path table) {
    try {
      return Files.exists(table) ? Files.readAllLines(table).stream().skip(1).toList() : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
