package io.verigate.server.http.rest;

import io.verigate.server.notify.EventStream;
import io.verigate.server.notify.StreamSink;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A stream's response, written with the servlet's non-blocking output: text is queued and sent whenever the
 * connection can take it, so no thread waits on a slow client. A client that falls far behind is dropped (it
 * reconnects with {@code Last-Event-ID} and loses nothing); one that went away is noticed at the next write, at the
 * latest at the next keep-alive.
 */
final class ServletEventSink implements StreamSink, WriteListener, AsyncListener {
  /** Queued bytes above which the stream stops reading the log until the client caught up. */
  private static final int CONGESTED_BYTES = 64 * 1024;
  /** Queued bytes a client may leave unread before it is dropped: it stopped reading, or reads far too slowly. */
  private static final int MAX_QUEUED_BYTES = 1024 * 1024;

  private final AsyncContext async;
  private final ServletOutputStream out;
  private final EventStream stream;
  /** Completes when the response is over; the HTTP stack then ends the request. */
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private int queuedBytes;
  private boolean unflushed;
  private boolean closing;
  private boolean wasCongested;

  /** Takes over the request, already asynchronous, whose status and headers are set. */
  ServletEventSink(AsyncContext async, EventStream stream) throws IOException {
    this.async = async;
    this.out = async.getResponse().getOutputStream();
    this.stream = stream;
    async.addListener(this);
    out.setWriteListener(this);
  }

  CompletableFuture<Void> ended() {
    return ended;
  }

  @Override
  public synchronized boolean write(String text) {
    if (closing) {
      return false;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (queuedBytes + bytes.length > MAX_QUEUED_BYTES) {
      end();
      return false;
    }
    queue.add(bytes);
    queuedBytes += bytes.length;
    send();
    return !ended.isDone();
  }

  @Override
  public synchronized boolean congested() {
    wasCongested |= queuedBytes > CONGESTED_BYTES;
    return queuedBytes > CONGESTED_BYTES;
  }

  @Override
  public synchronized void close() {
    closing = true;
    send();
  }

  @Override
  public void onWritePossible() {
    boolean relieved;
    synchronized (this) {
      send();
      relieved = wasCongested && queuedBytes <= CONGESTED_BYTES && !ended.isDone();
      if (relieved) {
        wasCongested = false;
      }
    }
    if (relieved) {
      stream.resume(); // outside the lock: reading the log may write to this sink again
    }
  }

  @Override
  public void onError(Throwable failure) {
    gone();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    gone();
  }

  @Override
  public void onError(AsyncEvent event) {
    gone();
  }

  @Override
  public void onComplete(AsyncEvent event) {
    gone();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {}

  /** Sends what the connection takes now; the rest waits for {@link #onWritePossible}. Holds the lock. */
  private void send() {
    if (ended.isDone()) {
      return;
    }
    try {
      while (out.isReady()) {
        byte[] next = queue.poll();
        if (next != null) {
          queuedBytes -= next.length;
          out.write(next);
          unflushed = true;
        } else if (unflushed) {
          unflushed = false;
          out.flush();
        } else {
          if (closing) {
            end();
          }
          return;
        }
      }
    } catch (IOException | IllegalStateException disconnected) {
      end();
    }
  }

  private void end() {
    closing = true;
    queue.clear();
    queuedBytes = 0;
    ended.complete(null);
  }

  /** The connection ended from the client's side or the container's: the stream leaves the registry. */
  private void gone() {
    synchronized (this) {
      end();
    }
    stream.close();
  }
}
