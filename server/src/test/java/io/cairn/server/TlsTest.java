package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a PEM certificate and key: a certificate made by openssl for 127.0.0.1. */
class TlsTest {

  @Test
  void servesWebDavOverHttps(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process p =
        new ProcessBuilder(
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "openssl req failed");

    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
      trust.setCertificateEntry("cairn", c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient client =
        HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    try (TestServer s =
        TestServer.start(dir.resolve("data"), Map.of("tls.cert", cert.toString(), "tls.key", key.toString()), client)) {
      String admin = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
      assertEquals("https", s.scheme);
      assertEquals(201, s.send(admin, "PUT", "/over-tls.txt", "secure".getBytes()).statusCode());
      HttpResponse<byte[]> get = s.send(admin, "GET", "/over-tls.txt", null);
      assertEquals("secure", new String(get.body()));
      assertEquals(401, s.send(null, "GET", "/over-tls.txt", null).statusCode());
      // The web interface's session cookie is never sent back over plain HTTP.
      HttpResponse<byte[]> login = s.send(null, "POST", "/.cairn/web/login",
          ("{\"name\": \"admin\", \"password\": \"" + TestServer.ADMIN_PASSWORD + "\"}").getBytes(),
          "X-Cairn-CSRF", "login");
      assertEquals(200, login.statusCode());
      assertEquals(true, login.headers().firstValue("Set-Cookie").orElse("").endsWith("; Secure"));
      // Several chunks: over TLS a GET must not take the sendfile path, which would skip the
      // encryption; it reads the chunks into buffers instead.
      byte[] big = new byte[5 << 20];
      new java.util.Random(1).nextBytes(big);
      assertEquals(201, s.send(admin, "PUT", "/big-over-tls.bin", big).statusCode());
      HttpResponse<byte[]> bigGet = s.send(admin, "GET", "/big-over-tls.bin", null);
      assertEquals(200, bigGet.statusCode());
      assertArrayEquals(big, bigGet.body());
      // The certificate's expiry is a metric (openssl made it for one day), for the alert.
      String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + s.server.managementPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("(?m)^cairn_tls_certificate_expiry_timestamp_seconds (\\S+)$").matcher(scrape);
      assertEquals(true, m.find(), "the expiry gauge is scraped");
      double left = Double.parseDouble(m.group(1)) - java.time.Instant.now().getEpochSecond();
      assertEquals(true, left > 23 * 3600 && left <= 24 * 3600 + 60, "about a day left: " + left);
      // plain HTTP on the TLS port does not get through
      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      assertThrows(
          java.io.IOException.class,
          () ->
              plain.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/over-tls.txt"))
                      .timeout(Duration.ofSeconds(10))
                      .header("Authorization", admin)
                      .build(),
                  HttpResponse.BodyHandlers.ofString()));
    }
  }

  @Test
  void certificateWithoutKeyIsAConfigurationError(@TempDir Path dir) {
    ServerConfig.InvalidConfig e =
        assertThrows(
            ServerConfig.InvalidConfig.class,
            () -> ServerConfig.load(null, Map.of("data.dir", dir.toString(), "tls.cert", "/x.pem")));
    assertEquals("tls.cert and tls.key must be set together (PEM files)", e.getMessage());
  }
}
