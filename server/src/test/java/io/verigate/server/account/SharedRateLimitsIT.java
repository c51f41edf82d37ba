package io.verigate.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TestApp;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database spend from one budget per key: small quotas exactly, large ones within the
 * share a node may spend before settling with the database ({@link DatabaseBuckets}).
 */
class SharedRateLimitsIT {
  private static TestApp first;
  private static TestApp second;

  @BeforeAll
  static void startTwoNodes() {
    // OTHER is small enough to settle on every request; POLL lets a node spend 1/50 of it (20) on its own.
    Map<String, String> settings = Map.of("rate-limit-other", "10/1m", "rate-limit-poll", "1000/1m",
        "rate-limit-purchase", "2/1s");
    first = TestApp.startOnPostgres(settings);
    second = first.anotherNode(settings);
  }

  @AfterAll
  static void stopNodes() {
    second.close();
    first.close();
  }

  @Test
  void twoNodesSpendOneSmallBudgetExactly() {
    RateLimits one = first.app().rateLimits();
    RateLimits other = second.app().rateLimits();
    for (int i = 0; i < 10; i++) {
      Verdict verdict = (i % 2 == 0 ? one : other).take("key:alternating", LimitClass.OTHER);
      assertThat(verdict.allowed()).as("request %d", i + 1).isTrue();
      assertThat(verdict.remaining()).as("what is left after request %d, on either node", i + 1).isEqualTo(9 - i);
    }

    Verdict refusedHere = one.take("key:alternating", LimitClass.OTHER);
    Verdict refusedThere = other.take("key:alternating", LimitClass.OTHER);

    assertThat(refusedHere.allowed()).isFalse();
    assertThat(refusedThere.allowed()).isFalse();
    assertThat(refusedThere.retryAfterSeconds()).isBetween(1L, 60L);
    assertThat(one.take("key:someone-else", LimitClass.OTHER).allowed()).as("another key's budget").isTrue();
  }

  @Test
  void aLargeBudgetIsOverrunByAtMostTheShareANodeSpendsOnItsOwn() {
    RateLimits one = first.app().rateLimits();
    RateLimits other = second.app().rateLimits();
    IntStream.range(0, 500).forEach(i -> assertThat(one.take("key:busy", LimitClass.POLL).allowed()).isTrue());

    long allowedOnTheOther = IntStream.range(0, 600)
        .filter(i -> other.take("key:busy", LimitClass.POLL).allowed())
        .count();

    assertThat(allowedOnTheOther).as("the rest of 1,000, plus what the first node had not yet settled (at most 20)")
        .isBetween(500L, 520L);
  }

  @Test
  void fullBudgetsLeaveTheTable() {
    assertThat(first.app().rateLimits().take("key:brief", LimitClass.PURCHASE).allowed()).isTrue();
    assertThat(storedBudgets("key:brief")).isEqualTo(1);

    // Once its 1-second window ends the bucket is full again, and housekeeping on any node drops it.
    Eventually.eventually("the full budget removed", () -> {
      second.app().rateLimits().removeExpired();
      return storedBudgets("key:brief") == 0;
    });

    assertThat(second.app().rateLimits().take("key:brief", LimitClass.PURCHASE).remaining())
        .as("a removed budget starts full").isEqualTo(1);
  }

  private static int storedBudgets(String partition) {
    return first.app().database().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + DatabaseBuckets.TABLE
        + " WHERE id LIKE :p").bind("p", "%:" + partition).mapTo(Integer.class).one());
  }
}
