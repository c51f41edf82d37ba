package io.verigate.server.http.support;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reading an activation the way status polls do: with its version as the ETag, a 304 for a client that already has
 * that version ({@code If-None-Match}), and {@code wait=N} to hold the request up to N seconds until the activation
 * changes (a long poll). Without {@code If-None-Match}, the poll waits for a change from the state it first read. A
 * long poll is parked without a thread, so waiting clients cost memory, not threads.
 */
public final class LongPoll {
  /** Below Jetty's 30 s idle timeout, so a parked request is answered before its connection is dropped. */
  public static final int MAX_WAIT_SECONDS = 25;

  private LongPoll() {}

  /**
   * Answers with the activation, now or once it changed or {@code wait} ran out; {@code write} sends the body of a
   * 200. Refusals (bad {@code wait}, not found) are thrown before any waiting.
   */
  public static void answer(Context ctx, ActivationService activations, Principal principal, int id,
      BiConsumer<Context, Activation> write) {
    answer(ctx, () -> activations.get(principal, id), Activation::version,
        (unchanged, wait) -> activations.awaitChange(principal, id, unchanged, wait), write);
  }

  /** How a long poll waits for a thing: until it no longer passes the test, or the wait ran out. */
  @FunctionalInterface
  public interface Awaiting<T> {
    CompletableFuture<T> change(Predicate<T> unchanged, Duration wait);
  }

  /** {@link #answer(Context, ActivationService, Principal, int, BiConsumer)} for anything with a version. */
  public static <T> void answer(Context ctx, Supplier<T> read, Function<T, String> version, Awaiting<T> awaiting,
      BiConsumer<Context, T> write) {
    Optional<Duration> wait = waitParam(ctx.queryParam("wait"));
    T current = read.get();
    String known = knownVersion(ctx.header("If-None-Match"));
    String baseline = known != null ? known : version.apply(current);
    if (wait.isEmpty() || !version.apply(current).equals(baseline)) {
      send(ctx, current, version, known, write);
      return;
    }
    ctx.future(() -> awaiting.change(t -> version.apply(t).equals(baseline), wait.get())
        .thenAccept(changed -> send(ctx, changed, version, known, write)));
  }

  private static <T> void send(Context ctx, T current, Function<T, String> version, String known,
      BiConsumer<Context, T> write) {
    // Cache-Control stays no-store (SecurityHeaders): a poller sends the ETag it holds itself, no cache keeps a copy.
    ctx.header("ETag", "\"" + version.apply(current) + "\"");
    if (version.apply(current).equals(known)) {
      ctx.status(HttpStatus.NOT_MODIFIED);
      return;
    }
    write.accept(ctx, current);
  }

  /** The version the client holds: one of the tags of {@code If-None-Match}, weak or strong. */
  private static String knownVersion(String ifNoneMatch) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
      return null;
    }
    return Arrays.stream(ifNoneMatch.split(","))
        .map(String::trim)
        .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
        .filter(tag -> tag.length() > 2 && tag.startsWith("\"") && tag.endsWith("\""))
        .map(tag -> tag.substring(1, tag.length() - 1))
        .findFirst()
        .orElse(null);
  }

  private static Optional<Duration> waitParam(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    int seconds;
    try {
      seconds = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
      throw new Failure(ErrorCode.BAD_REQUEST,
          "wait must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS + ", got '" + value + "'");
    }
    return seconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
  }
}
