package io.verigate.server.http.support;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.json.JsonMapper;
import io.verigate.server.activation.Activation;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The JSON one dialect answers for an activation, kept until the activation changes. A client polls one activation
 * many times between two changes, and writing the same JSON again each time was most of what a status poll cost
 * beyond the bare endpoint. An activation's revision counts its changes, so the JSON of a revision never goes stale;
 * one entry per activation is kept, replaced when a newer revision is shown. The view must depend on nothing but the
 * activation (and what is fixed for the node, such as its currency) and, for a view that shows something kept in
 * memory beside it (5sim's order shows the activation's messages), that very object: the JSON is written again when
 * another instance comes, so a copy read afresh after a change is never answered with the old one's JSON. Whoever may
 * read the activation has been checked before it gets here.
 *
 * @param <W> what the view shows with the activation; {@code Void} when nothing
 */
public final class RenderedJson<W> {
  /** Enough for every activation being polled on a busy node; one entry is a few hundred bytes. */
  private static final int ACTIVATIONS_KEPT = 20_000;

  private record Rendered(int revision, Object shownWith, String json) {}

  private final Cache<Integer, Rendered> rendered = Caffeine.newBuilder().maximumSize(ACTIVATIONS_KEPT).build();
  private final BiFunction<Activation, W, Object> view;

  /** A view of the activation and of what is shown with it. */
  public RenderedJson(BiFunction<Activation, W, Object> view) {
    this.view = view;
  }

  /** A view of the activation alone. */
  public static RenderedJson<Void> of(Function<Activation, Object> view) {
    return new RenderedJson<>((activation, nothing) -> view.apply(activation));
  }

  /** Answers {@code activation} as JSON, as {@link Context#json} would. */
  public void send(Context ctx, Activation activation) {
    send(ctx, activation, null);
  }

  /** Answers {@code activation} shown with {@code with} as JSON, as {@link Context#json} would. */
  public void send(Context ctx, Activation activation, W with) {
    ctx.contentType(ContentType.APPLICATION_JSON).result(json(activation, with, ctx.jsonMapper()));
  }

  /**
   * The JSON of {@code activation}'s revision shown with {@code with}: written by {@code mapper} the first time they
   * are shown together. {@code with} is compared by identity, which is what a memory hands out until it drops it.
   */
  String json(Activation activation, W with, JsonMapper mapper) {
    Rendered body = rendered.getIfPresent(activation.id());
    if (body == null || body.revision() != activation.revision() || body.shownWith() != with) {
      Object shown = view.apply(activation, with);
      body = new Rendered(activation.revision(), with, mapper.toJsonString(shown, shown.getClass()));
      rendered.put(activation.id(), body);
    }
    return body.json();
  }
}
