package io.verigate.cli;

import io.verigate.server.App;
import io.verigate.server.system.Config;
import io.verigate.server.system.ConfigHelp;
import io.verigate.server.system.Logging;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code verigate serve}: runs a node until interrupted. Its options are generated from the configuration
 * keys (see {@link #withConfigOptions}), so every key in the README's table is also a flag.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run a Verigate node until it gets SIGTERM or Ctrl-C.",
        "Every option can also be set as a VERIGATE_* environment variable (--db-url as VERIGATE_DB_URL) or in the "
            + "--config file. For each key a flag wins over the environment, which wins over the file; a secret's "
            + "*-file form counts as given where it is given.", ""})
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  static CommandSpec withConfigOptions(CommandSpec spec) {
    spec.addOption(OptionSpec.builder("--config").paramLabel("FILE").type(String.class)
        .description("Properties file of configuration keys (key=value lines), also VERIGATE_CONFIG. Default: none.")
        .build());
    for (String key : Config.keys().keySet()) {
      // picocli formats descriptions: a literal percent sign must be doubled
      spec.addOption(OptionSpec.builder("--" + key).paramLabel(key.endsWith("-file") ? "FILE" : "VALUE").type(String.class)
          .description(ConfigHelp.of(key).replace("%", "%%")).build());
    }
    return spec;
  }

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> flags = new LinkedHashMap<>();
    for (OptionSpec option : spec.options()) {
      String name = option.longestName().substring(2);
      if (option.getValue() != null && (name.equals("config") || Config.keys().containsKey(name))) {
        flags.put(name, option.getValue());
      }
    }
    Config config = Config.load(flags, System.getenv());
    Logging.use(config.logFormat());
    App app = App.create(config);
    app.credentials().lines().forEach(System.out::println);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      stopped.countDown();
    }, "verigate-shutdown"));
    app.start();
    System.out.println("Verigate is running on http://localhost:" + app.port() + " (Ctrl-C to stop)");
    stopped.await();
    return 0;
  }
}
