package io.verigate.server.http.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.json.JavalinJackson;
import io.verigate.server.account.Mode;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.wallet.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RenderedJsonTest {
  private static final Instant CREATED = Instant.parse("2026-12-07T10:00:00Z");

  private final AtomicInteger rendered = new AtomicInteger();
  private final RenderedJson json = new RenderedJson(activation -> {
    rendered.incrementAndGet();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", activation.status().name());
    body.put("code", activation.code());
    return body;
  });
  private final JavalinJackson mapper = new JavalinJackson();

  private static Activation waiting(int id) {
    return new Activation(id, 7, Mode.LIVE, "wa", "US", "any", 1, "+14155550101", Money.parse("0.50"), 9,
        ActivationStatus.WAITING, null, null, null, null, CREATED, CREATED.plus(Duration.ofMinutes(20)), null, 0, null);
  }

  @Test
  void anUnchangedActivationIsWrittenOnce() {
    Activation waiting = waiting(1);

    assertThat(json.json(waiting, mapper)).isEqualTo("{\"status\":\"WAITING\",\"code\":null}");
    assertThat(json.json(waiting, mapper)).isEqualTo("{\"status\":\"WAITING\",\"code\":null}");
    assertThat(rendered).hasValue(1);
  }

  @Test
  void aChangeIsShownAtOnce() {
    Activation waiting = waiting(1);
    json.json(waiting, mapper);

    Activation received = waiting.receive("123456", "Your code is 123456", "WhatsApp", CREATED.plusSeconds(30));

    assertThat(json.json(received, mapper)).isEqualTo("{\"status\":\"RECEIVED\",\"code\":\"123456\"}");
    assertThat(rendered).hasValue(2);
  }

  @Test
  void aStaleReadDoesNotShowItsOlderJsonAsNewer() {
    Activation waiting = waiting(1);
    Activation received = waiting.receive("123456", "Your code is 123456", "WhatsApp", CREATED.plusSeconds(30));
    json.json(received, mapper);

    assertThat(json.json(waiting, mapper)).contains("WAITING");
    assertThat(json.json(received, mapper)).contains("RECEIVED");
  }

  @Test
  void activationsAreKeptApart() {
    assertThat(json.json(waiting(1), mapper)).isEqualTo(json.json(waiting(2), mapper));
    assertThat(json.json(waiting(2).receive("654321", "654321", "WhatsApp", CREATED.plusSeconds(5)), mapper))
        .contains("654321");
    assertThat(json.json(waiting(1), mapper)).doesNotContain("654321");
  }
}
