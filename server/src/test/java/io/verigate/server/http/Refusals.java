package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.verigate.client.VerigateException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserting the server's refusals as the SDK reports them, and as raw problem documents. */
final class Refusals {
  private Refusals() {}

  /** Runs {@code call}, which must be refused with this HTTP status and problem code; returns the refusal. */
  static VerigateException refused(ThrowingCallable call, int status, String code) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(VerigateException.class);
    VerigateException refusal = (VerigateException) thrown;
    assertThat(refusal.status()).as(refusal.getMessage()).isEqualTo(status);
    assertThat(refusal.code()).as(refusal.getMessage()).isEqualTo(code);
    return refusal;
  }

  /** A raw reply that is an RFC 9457 problem document with this status and code. */
  static void assertProblem(RawHttp.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.text("code")).as(reply.body()).isEqualTo(code);
    assertThat(reply.json().get("status").asInt()).isEqualTo(status);
    assertThat(reply.text("detail")).isNotBlank();
  }
}
