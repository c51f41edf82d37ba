package io.verigate.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/**
 * What every fuzz test of the project shares: inputs are cut to {@link #MAX_INPUT_BYTES}, and one run must finish
 * within {@link #CATASTROPHIC}. The bound is far above what any of these parsers needs for such an input; it
 * exists to turn a regex blow-up or an endless loop into a failure instead of a hung build, and is no
 * performance assertion. Loading a parser's classes is not part of a run: Jazzer instruments classes as they load,
 * which can take seconds on a busy machine (libphonenumber's set-up alone did), so each fuzz test class feeds its
 * parsers a typical input untimed in a {@code @BeforeEach}, which runs after Jazzer's agent is in place.
 *
 * <p>Seed inputs live in {@code src/test/resources/<package>/<TestClass>Inputs/<method>/}, where Jazzer reads
 * them in every build (regression mode) and starts from them under {@code JAZZER_FUZZ=1}.
 */
public final class Fuzzing {
  /** A long SMS is 1,600 characters and a webhook a few hundred bytes; longer inputs only slow the fuzzer. */
  public static final int MAX_INPUT_BYTES = 2_000;
  public static final Duration CATASTROPHIC = Duration.ofSeconds(2);

  private Fuzzing() {}

  public static byte[] capped(byte[] input) {
    return input.length <= MAX_INPUT_BYTES ? input : Arrays.copyOf(input, MAX_INPUT_BYTES);
  }

  public static void withinBound(Executable run) {
    assertTimeoutPreemptively(CATASTROPHIC, run);
  }

  /**
   * A fuzz input read as {@code count} lines of UTF-8 text (header values, a service code) followed by raw bytes
   * (a body, a message), so seed files stay readable. A line the input ends before is {@code null}, which plays
   * an absent header; the last line may end without a newline.
   */
  public record Framed(List<String> lines, byte[] rest) {

    public static Framed of(byte[] input, int count) {
      List<String> lines = new ArrayList<>(count);
      int at = 0;
      for (int i = 0; i < count; i++) {
        if (at >= input.length) {
          lines.add(null);
          continue;
        }
        int end = at;
        while (end < input.length && input[end] != '\n') {
          end++;
        }
        lines.add(new String(input, at, end - at, StandardCharsets.UTF_8));
        at = Math.min(end + 1, input.length);
      }
      return new Framed(lines, Arrays.copyOfRange(input, at, input.length));
    }

    public String line(int index) {
      return lines.get(index);
    }
  }

  /** Reads a fuzz input as unsigned bytes; past the end every byte is 0, so every input has a meaning. */
  public static final class Bytes {
    private final byte[] input;
    private int at;

    public Bytes(byte[] input) {
      this.input = input;
    }

    public boolean hasMore() {
      return at < input.length;
    }

    public int next() {
      return hasMore() ? input[at++] & 0xFF : 0;
    }

    public byte[] take(int count) {
      byte[] taken = Arrays.copyOfRange(input, Math.min(at, input.length), Math.min(at + count, input.length));
      at += taken.length;
      return taken;
    }

    public byte[] rest() {
      return take(input.length - at);
    }
  }
}
