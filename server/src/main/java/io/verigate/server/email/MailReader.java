package io.verigate.server.email;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Reads a raw RFC 5322 message into a {@link ParsedMail}: walks multipart bodies (alternative, related, mixed, nested),
 * undoes quoted-printable and base64, decodes each text part from its declared charset, and turns HTML into text with
 * jsoup. Attachments (parts with a file name or {@code Content-Disposition: attachment}) are never read. Never
 * throws on a malformed message: what cannot be read is left out, so the worst a hostile message gets is an empty
 * result.
 */
public final class MailReader {
  /** Bodies beyond this many characters are cut: codes and links sit near the top, and the cap bounds the work. */
  static final int MAX_TEXT_CHARS = 100_000;
  /** Nesting deeper than this is no real mail. */
  private static final int MAX_DEPTH = 8;
  private static final Session SESSION = Session.getInstance(new Properties());

  private MailReader() {}

  public static ParsedMail read(byte[] raw) {
    Bodies bodies = new Bodies();
    String messageId = null;
    String subject = "";
    String from = "";
    try {
      MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
      messageId = messageId(message.getHeader("Message-ID", null));
      subject = decodeHeader(message.getHeader("Subject", null));
      from = decodeHeader(message.getHeader("From", null));
      collect(message, bodies, 0);
    } catch (MessagingException | RuntimeException unreadable) {
      // a message Jakarta Mail cannot make sense of keeps what was read before the trouble
    }
    String text = bodies.plain != null ? bodies.plain : bodies.html != null ? htmlToText(bodies.html) : "";
    return new ParsedMail(messageId, subject, from, cut(text), bodies.html == null ? null : cut(bodies.html));
  }

  /** The text a person sees in an HTML body: blocks and line breaks as new lines, links' text kept. */
  public static String htmlToText(String html) {
    Document doc = Jsoup.parse(html);
    doc.select("style, script, head, title").remove();
    StringBuilder out = new StringBuilder();
    NodeTraversor.traverse(new NodeVisitor() {
      @Override
      public void head(Node node, int depth) {
        if (node instanceof TextNode text) {
          out.append(text.text());
        } else if (node instanceof Element e && (e.isBlock() || e.nameIs("br") || e.nameIs("tr"))) {
          out.append('\n');
        }
      }

      @Override
      public void tail(Node node, int depth) {
        if (node instanceof Element e && (e.isBlock() || e.nameIs("tr"))) {
          out.append('\n');
        }
      }
    }, doc.body() == null ? doc : doc.body());
    return out.toString().replace('\u00a0', ' ').replaceAll("[ \\t]+", " ").replaceAll(" ?\\n[\\s]*\\n\\s*", "\n\n")
        .strip();
  }

  private static final class Bodies {
    String plain;
    String html;
  }

  private static void collect(Part part, Bodies bodies, int depth) throws MessagingException {
    if (depth > MAX_DEPTH || isAttachment(part)) {
      return;
    }
    if (part.isMimeType("multipart/*")) {
      Object content;
      try {
        content = part.getContent();
      } catch (IOException e) {
        return;
      }
      if (content instanceof Multipart multipart) {
        for (int i = 0; i < multipart.getCount(); i++) {
          BodyPart child = multipart.getBodyPart(i);
          collect(child, bodies, depth + 1);
        }
      }
    } else if (part.isMimeType("message/rfc822")) {
      // a forwarded message is another sender's letter, not this one's
    } else if (part.isMimeType("text/html")) {
      if (bodies.html == null) {
        bodies.html = text(part);
      }
    } else if (part.isMimeType("text/*") || contentType(part) == null) {
      if (bodies.plain == null) {
        bodies.plain = text(part);
      }
    }
  }

  private static boolean isAttachment(Part part) throws MessagingException {
    String disposition = part.getDisposition();
    return Part.ATTACHMENT.equalsIgnoreCase(disposition) || (part.getFileName() != null && !part.isMimeType("multipart/*"));
  }

  /**
   * A text part decoded from its transfer encoding and charset. An unknown or missing charset falls back to UTF-8
   * when the bytes are valid UTF-8, else to windows-1252, which maps every byte.
   */
  private static String text(Part part) {
    byte[] bytes;
    try (InputStream in = part.getInputStream()) {
      bytes = in.readNBytes(MAX_TEXT_CHARS * 4);
    } catch (IOException | MessagingException | RuntimeException e) {
      return "";
    }
    Charset charset = charset(part);
    if (charset == null) {
      charset = isUtf8(bytes) ? StandardCharsets.UTF_8 : Charset.forName("windows-1252");
    }
    return new String(bytes, charset);
  }

  private static Charset charset(Part part) {
    ContentType type = contentType(part);
    String name = type == null ? null : type.getParameter("charset");
    if (name == null || name.isBlank()) {
      return null;
    }
    try {
      return Charset.forName(MimeUtility.javaCharset(name.trim()));
    } catch (RuntimeException unknown) {
      return null;
    }
  }

  private static ContentType contentType(Part part) {
    try {
      String header = part.getContentType();
      return header == null ? null : new ContentType(header);
    } catch (MessagingException | RuntimeException e) {
      return null;
    }
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  /** An RFC 2047 encoded header as text; undecodable words stay as they are. */
  private static String decodeHeader(String value) {
    if (value == null) {
      return "";
    }
    String unfolded = value.replaceAll("\\r?\\n[ \\t]+", " ").strip();
    try {
      return MimeUtility.decodeText(unfolded);
    } catch (IOException | RuntimeException e) {
      return unfolded;
    }
  }

  private static String messageId(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String id = header.strip();
    if (id.startsWith("<") && id.endsWith(">")) {
      id = id.substring(1, id.length() - 1);
    }
    return id.isBlank() ? null : id;
  }

  private static String cut(String text) {
    return text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS);
  }
}
