package io.verigate.server.http.support;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.json.JsonMapper;
import io.verigate.server.activation.Activation;
import java.util.function.Function;

/**
 * The JSON one dialect answers for an activation, kept until the activation changes. A client polls one activation
 * many times between two changes, and writing the same JSON again each time was most of what a status poll cost
 * beyond the bare endpoint. An activation's revision counts its changes, so the JSON of a revision never goes stale;
 * one entry per activation is kept, replaced when a newer revision is shown. The view must depend on nothing but the
 * activation (and what is fixed for the node, such as its currency); whoever may read the activation has been
 * checked before it gets here.
 */
public final class RenderedJson {
  /** Enough for every activation being polled on a busy node; one entry is a few hundred bytes. */
  private static final int ACTIVATIONS_KEPT = 20_000;

  private record Rendered(int revision, String json) {}

  private final Cache<Integer, Rendered> rendered = Caffeine.newBuilder().maximumSize(ACTIVATIONS_KEPT).build();
  private final Function<Activation, Object> view;

  public RenderedJson(Function<Activation, Object> view) {
    this.view = view;
  }

  /** Answers {@code activation} as JSON, as {@link Context#json} would. */
  public void send(Context ctx, Activation activation) {
    ctx.contentType(ContentType.APPLICATION_JSON).result(json(activation, ctx.jsonMapper()));
  }

  /** The JSON of {@code activation}'s revision: written by {@code mapper} the first time it is shown. */
  String json(Activation activation, JsonMapper mapper) {
    Rendered body = rendered.getIfPresent(activation.id());
    if (body == null || body.revision() != activation.revision()) {
      Object shown = view.apply(activation);
      body = new Rendered(activation.revision(), mapper.toJsonString(shown, shown.getClass()));
      rendered.put(activation.id(), body);
    }
    return body.json();
  }
}
