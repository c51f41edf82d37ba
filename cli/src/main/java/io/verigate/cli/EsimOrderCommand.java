package io.verigate.cli;

import io.verigate.client.Esim;
import io.verigate.client.EsimOrder;
import io.verigate.client.VerigateClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "order", description = {"Order an eSIM of a plan; your wallet is charged at once.",
    "Prints each eSIM's ICCID, its activation code and its QR code to scan with the phone."})
final class EsimOrderCommand extends CustomerCommand {
  @Parameters(paramLabel = "PLAN", description = "the plan's id, as 'verigate esim plans' shows it")
  String plan;

  @Option(names = "--quantity", paramLabel = "N", defaultValue = "1", description = "how many eSIMs (default 1)")
  int quantity;

  @Option(names = "--idempotency-key", paramLabel = "KEY",
      description = "a key of your choice: running the same order again with it charges only once")
  String idempotencyKey;

  @Option(names = "--no-qr", description = "leave out the QR codes")
  boolean noQr;

  @Override
  int run(VerigateClient client) {
    show(client.orderEsims(plan, quantity, idempotencyKey), this::print);
    return 0;
  }

  private void print(EsimOrder order, PrintWriter out) {
    out.println("Order " + order.id() + ": " + order.quantity() + " x " + order.planId() + ", charged "
        + order.price().toPlainString() + " " + order.currency() + ".");
    for (Esim esim : order.esims()) {
      out.println();
      out.println("eSIM " + esim.id() + "  ICCID " + esim.iccid());
      out.println("Activation code: " + esim.activationCode());
      if (esim.confirmationCode() != null) {
        out.println("Confirmation code (the phone asks for it): " + esim.confirmationCode());
      }
      out.println("iPhone (iOS 17.4+), one tap: " + esim.appleInstallUrl());
      if (!noQr) {
        out.print(TerminalQr.of(esim.activationCode()));
      }
    }
  }
}
