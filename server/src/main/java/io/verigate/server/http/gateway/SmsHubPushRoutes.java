package io.verigate.server.http.gateway;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.verigate.server.http.support.EarlyRefusals;
import io.verigate.server.http.support.Json;
import io.verigate.server.inbound.smshub.PushSms;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/v1/inbound/smshub}: SIM-bank agents' PUSH_SMS over HTTP, answered in the protocol's JSON. */
public final class SmsHubPushRoutes {
  private static final Logger log = LoggerFactory.getLogger(SmsHubPushRoutes.class);
  public static final String PATH = "/api/v1/inbound/smshub";

  private final PushSms push;

  public SmsHubPushRoutes(PushSms push) {
    this.push = push;
  }

  public void register(RoutesConfig routes) {
    routes.post(PATH, this::push);
  }

  private void push(Context ctx) {
    try {
      push.receive(ctx.bodyAsBytes(), ctx.header("Content-Encoding"));
      ctx.json(PushSms.answer(null));
    } catch (Failure refusal) {
      ctx.status(refusal.code().httpStatus()).json(PushSms.answer(refusal.getMessage()));
    } catch (HttpResponseException refusedByHttp) {
      // A body over the limit: the app answers it with refuseUnread, and it is no storage failure.
      throw refusedByHttp;
    } catch (RuntimeException e) {
      log.error("PUSH_SMS could not be stored", e);
      ctx.status(ErrorCode.INTERNAL.httpStatus()).json(PushSms.answer("not stored; send it again"));
    }
  }

  /** A push the server refused before reading it (an oversized body, a broken path): the protocol's error status. */
  public static EarlyRefusals.Answer refuseUnread(int status, String detail) {
    return new EarlyRefusals.Answer(status, "application/json", Json.write(PushSms.answer(detail)));
  }
}
