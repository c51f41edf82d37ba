package io.verigate.server.http.support;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Request bodies above {@link #MAX_BYTES} are refused with 413, in the words of the dialect the path belongs to (see
 * {@link EarlyRefusals}), and logged as nothing worse than Javalin's one-line warning. A body that declares its length
 * is refused before any route runs, read or not; one sent in chunks is refused when a route reads past the limit, where
 * Javalin throws a 413 that every route lets through to {@link #refuse}.
 *
 * <p>Before answering, the rest of a refused body is read and thrown away (up to {@link #DISCARD_BYTES}). Closing the
 * connection with the body still arriving makes the kernel reset it, and a client that is still sending then loses the
 * answer and sees only a broken connection; nginx discards the same way. A body larger than that is not worth reading:
 * its sender gets the reset.
 */
public final class BodyLimit {
  /** Far above any request of any dialect: the largest, a number import, is a few kilobytes per hundred numbers. */
  public static final long MAX_BYTES = 1_000_000;
  /** How much of a refused body is read to deliver the refusal; beyond it the connection is dropped instead. */
  static final long DISCARD_BYTES = 16 * MAX_BYTES;
  private static final String DETAIL = "the request body is larger than " + MAX_BYTES + " bytes";

  private final EarlyRefusals dialects;

  public BodyLimit(EarlyRefusals dialects) {
    this.dialects = dialects;
  }

  /** A before-handler: refuses a body whose declared length is over the limit. */
  public void refuseDeclared(Context ctx) {
    if (ctx.req().getContentLengthLong() > MAX_BYTES) {
      throw new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(), DETAIL, Map.of());
    }
  }

  public static boolean exceeded(HttpResponseException e) {
    return e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode();
  }

  /** Answers a body over the limit in the dialect of the request's path. */
  public void refuse(Context ctx) {
    discardRest(ctx);
    EarlyRefusals.Answer answer = dialects.answer(ctx.path(), HttpStatus.CONTENT_TOO_LARGE.getCode(), DETAIL);
    ctx.status(answer.status()).contentType(answer.contentType()).result(answer.body());
  }

  private static void discardRest(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > DISCARD_BYTES) {
      return;
    }
    try {
      InputStream body = ctx.req().getInputStream();
      byte[] buffer = new byte[16 * 1024];
      long read = 0;
      for (int n; read < DISCARD_BYTES && (n = body.read(buffer)) >= 0; ) {
        read += n;
      }
    } catch (IOException | IllegalStateException gone) {
      // the client stopped sending or the body was taken as a reader; the answer is still written
    }
  }
}
