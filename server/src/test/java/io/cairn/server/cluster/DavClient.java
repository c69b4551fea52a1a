package io.cairn.server.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small WebDAV client for tests. Every request is built in {@link #request}, so credentials
 * (an {@code Authorization} header) are one line there.
 */
final class DavClient {
  /** The password every test node gives the user admin at its first start. */
  static final String ADMIN_PASSWORD = "cluster-admin-1";

  /** Every test writes into admin's home. */
  static final String NAMESPACE = "home:admin";

  private static final String BASIC =
      "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** A response: status, body as text, and the Lock-Token header if any. */
  record Reply(int status, String body, String lockToken) {}

  private static HttpRequest.Builder request(String base, String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", BASIC);
  }

  Reply send(String base, String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        request(base, path)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Lock-Token").orElse(null));
  }

  static String lockBody() {
    return """
        <?xml version="1.0" encoding="utf-8"?>
        <D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>\
        <D:locktype><D:write/></D:locktype><D:owner>cluster test</D:owner></D:lockinfo>""";
  }
}
