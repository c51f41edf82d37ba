package io.verigate.server.activation;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.testing.AtOnce;
import io.verigate.server.testing.TestApp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How {@link ClaimingBatches} hands out turns, with an opener that stands in for the claiming statement: purchases
 * queued while the connections are busy go together, each gets its own outcome, and a batch's failure reaches its
 * own purchases only.
 */
class ClaimingBatchesTest {
  private static TestApp app;

  @BeforeAll
  static void startNode() {
    app = TestApp.start(Map.of("db-pool-size", "2"));
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @Test
  void purchasesQueuedWhileTheConnectionsAreBusyGoTogetherAndEachGetsItsOwnOutcome() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    ClaimingBatches<Integer, String> combining = new ClaimingBatches<>(app.app().database(), 2, (h, batch) -> {
      batches.add(batch);
      pause();
      return batch.stream().map(n -> "opened " + n).toList();
    });

    List<Object> outcomes = AtOnce.outcomes(40, n -> combining.purchase("key", n));

    assertThat(outcomes).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 40).mapToObj(n -> (Object) ("opened " + n)).toList());
    assertThat(batches).as("batches of at most %d", ClaimingBatches.MOST)
        .allSatisfy(batch -> assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(ClaimingBatches.MOST));
    assertThat(batches.stream().mapToInt(List::size).sum()).as("each purchase in one batch").isEqualTo(40);
    assertThat(batches).as("40 purchases at once, at most two batches at a time").hasSizeLessThan(40);
  }

  @Test
  void purchasesUnderDifferentKeysNeverShareABatch() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    ClaimingBatches<Integer, Integer> combining = new ClaimingBatches<>(app.app().database(), 2, (h, batch) -> {
      batches.add(batch);
      pause();
      return batch;
    });

    AtOnce.outcomes(30, n -> combining.purchase(n % 3, n));

    assertThat(batches).allSatisfy(batch -> assertThat(batch.stream().map(n -> n % 3).distinct()).hasSize(1));
  }

  @Test
  void aFailedBatchFailsItsOwnPurchasesOnly() throws Exception {
    ClaimingBatches<Integer, String> combining = new ClaimingBatches<>(app.app().database(), 2, (h, batch) -> {
      pause();
      if (batch.contains(7)) {
        throw new IllegalStateException("batch with 7 failed");
      }
      return batch.stream().map(n -> "opened " + n).toList();
    });

    List<Object> outcomes = AtOnce.outcomes(24, n -> combining.purchase("key", n));

    assertThat(outcomes.get(7)).isInstanceOf(IllegalStateException.class);
    assertThat(outcomes).filteredOn(IllegalStateException.class::isInstance).hasSizeLessThan(24);
    for (int n = 0; n < outcomes.size(); n++) {
      assertThat(outcomes.get(n)).isIn("opened " + n, outcomes.get(7));
    }
  }

  @Test
  void aQueuedPurchaseThatIsInterruptedLeavesTheQueueAndTheOthersGoOn() throws Exception {
    CountDownLatch leading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    List<Integer> opened = new CopyOnWriteArrayList<>();
    ClaimingBatches<Integer, String> combining = new ClaimingBatches<>(app.app().database(), 1, (h, batch) -> {
      leading.countDown();
      try {
        finish.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      opened.addAll(batch);
      return batch.stream().map(n -> "opened " + n).toList();
    });
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<String> first = threads.submit(() -> combining.purchase("key", 0));
      assertThat(leading.await(10, TimeUnit.SECONDS)).isTrue();
      List<Thread> queuedThread = new CopyOnWriteArrayList<>();
      Future<Object> queued = threads.submit(() -> {
        queuedThread.add(Thread.currentThread());
        try {
          return combining.purchase("key", 1);
        } catch (RuntimeException e) {
          return e;
        }
      });
      while (queuedThread.isEmpty() || queuedThread.get(0).getState() != Thread.State.WAITING) {
        Thread.sleep(5);
      }
      queuedThread.get(0).interrupt();

      assertThat(queued.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Failure.class,
          refusal -> assertThat(refusal.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
      finish.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("opened 0");
      assertThat(combining.purchase("key", 2)).isEqualTo("opened 2");
      assertThat(opened).containsExactly(0, 2);
    } finally {
      threads.shutdownNow();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
