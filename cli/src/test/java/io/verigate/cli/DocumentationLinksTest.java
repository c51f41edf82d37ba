package io.verigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation in the repository holds together: the README links to one page per area under {@code docs/},
 * and every relative link of the README, {@code CONTRIBUTING.md}, {@code CHANGELOG.md} and the pages reaches a file
 * of the repository and, when it names one, a heading of that file (as GitHub makes anchors of headings). Nothing
 * points outside the repository, where its users have nothing.
 */
class DocumentationLinksTest {
  private static final List<String> PAGES = List.of("architecture.md", "rest.md", "quick-start.md", "sms-activate.md",
      "fivesim.md", "number-sources.md", "upstream.md", "operations.md", "several-nodes.md", "money.md", "performance.md",
      "cli.md");
  /** A Markdown link outside code: the text, then the target up to an optional anchor. */
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s#]*)(#[^)\\s]*)?\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

  private final Path root = ReadmeTourTest.repositoryRoot();

  @Test
  void theReadmeLinksToOnePagePerArea() throws IOException {
    String readme = Files.readString(root.resolve("README.md"));
    for (String page : PAGES) {
      assertThat(root.resolve("docs").resolve(page)).as("docs/%s", page).isRegularFile();
      assertThat(readme).as("README links to docs/%s", page).contains("](docs/" + page + ")");
    }
  }

  @Test
  void everyRelativeLinkReachesAFileAndAHeadingOfIt() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path file : documents()) {
      String text = withoutCode(Files.readString(file));
      if (text.contains("../shared")) {
        broken.add(root.relativize(file) + ": names ../shared, which is not in the repository");
      }
      Matcher link = LINK.matcher(text);
      while (link.find()) {
        String target = link.group(1);
        String anchor = link.group(2);
        if (target.contains("://") || target.startsWith("mailto:")) {
          continue;
        }
        Path linked = target.isEmpty() ? file : file.getParent().resolve(target).normalize();
        if (!linked.startsWith(root) || !Files.exists(linked)) {
          broken.add(root.relativize(file) + ": " + link.group() + " (no such file in the repository)");
        } else if (anchor != null && !anchors(linked).contains(anchor.substring(1))) {
          broken.add(root.relativize(file) + ": " + link.group() + " (no such heading)");
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  private List<Path> documents() throws IOException {
    List<Path> files = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("CONTRIBUTING.md"),
        root.resolve("CHANGELOG.md")));
    try (Stream<Path> pages = Files.list(root.resolve("docs"))) {
      pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }

  /** GitHub's anchors: each heading lower-cased, without punctuation but hyphens, its spaces turned to hyphens. */
  private static List<String> anchors(Path file) throws IOException {
    List<String> anchors = new ArrayList<>();
    Matcher heading = HEADING.matcher(withoutCode(Files.readString(file)));
    while (heading.find()) {
      anchors.add(heading.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
    }
    return anchors;
  }

  /** The text without fenced code blocks, whose comment lines look like headings and whose brackets like links. */
  private static String withoutCode(String markdown) {
    return markdown.replaceAll("(?ms)^```.*?^```", "");
  }
}
