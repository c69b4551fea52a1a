package io.cairn.server.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web interface's files, read from the jar once, and the headers every answer of the web
 * interface carries: a strict Content-Security-Policy (scripts, styles and requests only from this
 * origin, no inline script, no framing), {@code nosniff}, no referrer.
 */
public final class WebAssets {
  /** The policy of every page, script and JSON answer of the web interface. */
  public static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  /** The files, by name, and their media types. */
  static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("app.html", "text/html; charset=utf-8"),
      Map.entry("login.html", "text/html; charset=utf-8"),
      Map.entry("link.html", "text/html; charset=utf-8"),
      Map.entry("link-gone.html", "text/html; charset=utf-8"),
      Map.entry("app.js", "text/javascript; charset=utf-8"),
      Map.entry("login.js", "text/javascript; charset=utf-8"),
      Map.entry("grant.html", "text/html; charset=utf-8"),
      Map.entry("grant.js", "text/javascript; charset=utf-8"),
      Map.entry("link.js", "text/javascript; charset=utf-8"),
      Map.entry("page.js", "text/javascript; charset=utf-8"),
      Map.entry("shares.js", "text/javascript; charset=utf-8"),
      Map.entry("settings.js", "text/javascript; charset=utf-8"),
      Map.entry("admin.js", "text/javascript; charset=utf-8"),
      Map.entry("upload.js", "text/javascript; charset=utf-8"),
      Map.entry("chunks.js", "text/javascript; charset=utf-8"),
      Map.entry("drop.js", "text/javascript; charset=utf-8"),
      Map.entry("app.css", "text/css; charset=utf-8"),
      Map.entry("icon.svg", "image/svg+xml"));

  private final Map<String, Buffer> files = new LinkedHashMap<>();

  /** Reads every file of {@link #TYPES} from the jar; fails when one is missing. */
  public WebAssets() {
    for (String name : TYPES.keySet()) {
      String resource = "/io/cairn/server/web/" + name;
      try (InputStream in = WebAssets.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + resource);
        }
        files.put(name, Buffer.buffer(in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Sends file {@code name} of {@link #TYPES} with status 200 and the web interface's headers. */
  public void send(HttpServerResponse response, String name) {
    send(response, name, 200);
  }

  /** Sends file {@code name} of {@link #TYPES} with {@code status} and the web interface's headers. */
  void send(HttpServerResponse response, String name, int status) {
    secure(response);
    // The pages hold no data (the script fetches it); scripts and styles are revalidated so an
    // upgraded server is never run with an old script.
    response.putHeader("Cache-Control", "no-cache");
    response.putHeader("Content-Type", TYPES.get(name)).setStatusCode(status).end(files.get(name));
  }

  /** The headers every answer of the web interface carries. */
  public static void secure(HttpServerResponse response) {
    response.putHeader("Content-Security-Policy", POLICY);
    response.putHeader("X-Content-Type-Options", "nosniff");
    response.putHeader("Referrer-Policy", "no-referrer");
    response.putHeader("X-Frame-Options", "DENY");
  }
}
