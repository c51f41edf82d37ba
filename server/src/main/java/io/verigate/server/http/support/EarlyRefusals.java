package io.verigate.server.http.support;

import io.verigate.server.system.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to a request Jetty refuses before any route runs: a NUL or a broken percent-escape in the path,
 * an encoded {@code /} or dot segment, an oversized header. Without it Jetty sends its own HTML page, which no
 * client of any dialect can read. Each dialect answers in its own words, chosen by the path's prefix; every
 * other path gets a problem document.
 *
 * <p>{@link BodyLimit} words its refusals of oversized bodies through the same dialects.
 *
 * <p>Jetty asks the <em>server's</em> error handler for these: the request has not entered the servlet
 * context, so an error handler set on the context is never consulted. Jetty's reason ("Ambiguous URI path
 * separator", ...) goes into the detail; its stack trace never leaves the process. When the request line
 * itself cannot be parsed (a NUL or a broken escape in the path), Jetty keeps no path at all, only a
 * placeholder, and the answer is a problem document whatever the path was.
 */
public final class EarlyRefusals implements Request.Handler {
  /**
   * Which irregular paths Jetty lets through to the routes: only empty segments ({@code //}), as before.
   * Javalin's default (LEGACY) also passes encoded separators, dot segments and percent signs ({@code %2F},
   * {@code %2e%2e}, {@code %25}), which no route of ours accepts in a parameter and which only serve to make
   * one path look like another; Jetty now refuses them here, with everything it refuses anyway (a NUL, a bad
   * escape, invalid UTF-8).
   */
  public static final UriCompliance URI_COMPLIANCE =
      UriCompliance.from(EnumSet.of(UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
  private static final int MAX_REASON = 120;
  /** What Jetty puts in place of a request line it could not parse, or of a URI it refused. */
  private static final Set<String> PLACEHOLDER_PATHS = Set.of("/badMessage", "/badURI");

  /** How a dialect words a refusal of its own requests: its status, content type and body. */
  public record Answer(int status, String contentType, String body) {}

  /** A dialect's refusal of a request the server could not read; {@code status} is the one Jetty chose. */
  @FunctionalInterface
  public interface Dialect {
    Answer refuse(int status, String detail);
  }

  private final Map<String, Dialect> byPathPrefix;

  /** {@code byPathPrefix}: a dialect for each path prefix it serves, e.g. {@code "/stubs/"}. */
  public EarlyRefusals(Map<String, Dialect> byPathPrefix) {
    this.byPathPrefix = new LinkedHashMap<>(byPathPrefix);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = status(request, response);
    Answer answer = answer(path(request), status, detail(request, status));
    response.setStatus(answer.status());
    SecurityHeaders.addTo(response.getHeaders());
    // Jetty drops the connection after a request it refused; said aloud, clients do not reuse it for the next.
    HttpVersion version = request.getConnectionMetaData().getHttpVersion();
    if (version == HttpVersion.HTTP_1_0 || version == HttpVersion.HTTP_1_1) {
      response.getHeaders().put(HttpFields.CONNECTION_CLOSE);
    }
    if (HttpStatus.hasNoBody(answer.status())) {
      response.write(true, null, callback);
      return true;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
    response.write(true, ByteBuffer.wrap(answer.body().getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  /** How the dialect of this path (null: none known) words a refusal of its request with this status. */
  public Answer answer(String path, int status, String detail) {
    return dialectFor(path).refuse(status, detail);
  }

  private Dialect dialectFor(String path) {
    if (path != null) {
      for (Map.Entry<String, Dialect> dialect : byPathPrefix.entrySet()) {
        if (path.startsWith(dialect.getKey())) {
          return dialect.getValue();
        }
      }
    }
    return (status, detail) -> {
      ErrorCode code = ErrorCode.forStatus(status);
      return new Answer(code.httpStatus(), Problems.CONTENT_TYPE, Problems.document(code, detail, path));
    };
  }

  /** Jetty sets the status before it calls an error handler; the attribute is the fallback. */
  private static int status(Request request, Response response) {
    if (response.getStatus() >= 400) {
      return response.getStatus();
    }
    return request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer status && status >= 400
        ? status : HttpStatus.INTERNAL_SERVER_ERROR_500;
  }

  /** The raw path as the client sent it, or null when Jetty kept none. */
  private static String path(Request request) {
    HttpURI uri = request.getHttpURI();
    String path = uri == null ? null : uri.getPath();
    return path == null || PLACEHOLDER_PATHS.contains(path) ? null : path;
  }

  private static String detail(Request request, int status) {
    if (status >= 500) {
      return "internal error; the operator's log has the details";
    }
    String detail = "the request could not be read";
    if (request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String reason && !reason.isBlank()
        && !reason.equals(HttpStatus.getMessage(status))) {
      detail += ": " + printable(reason);
    }
    return detail;
  }

  /** Jetty's reasons are short fixed phrases; this keeps anything else it might echo out of the answer. */
  private static String printable(String reason) {
    String cleaned = reason.replaceAll("[^\\x20-\\x7E]", "?");
    return cleaned.length() <= MAX_REASON ? cleaned : cleaned.substring(0, MAX_REASON) + "...";
  }
}
