package io.cairn.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * {@code cairn_tls_certificate_expiry_timestamp_seconds}: when the first certificate of the chain
 * in {@code tls.cert} expires, for the alert that warns weeks ahead. NaN when the server runs no
 * TLS (a comparison with NaN never fires an alert).
 */
public final class CertificateMeters {
  private CertificateMeters() {}

  /** Registers the gauge for the PEM chain {@code cert}; null for a server without TLS. */
  public static void register(MeterRegistry registry, Path cert) {
    double expiry = cert == null ? Double.NaN : earliestExpiry(cert);
    Gauge.builder("cairn.tls.certificate.expiry.timestamp", () -> expiry).baseUnit("seconds")
        .description("When the earliest certificate of tls.cert's chain expires (Unix time); NaN without TLS")
        .register(registry);
  }

  /** The earliest notAfter of the chain, in Unix seconds; NaN when it cannot be read. */
  static double earliestExpiry(Path cert) {
    try (InputStream in = Files.newInputStream(cert)) {
      double earliest = Double.NaN;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        if (c instanceof X509Certificate x) {
          double at = x.getNotAfter().toInstant().getEpochSecond();
          earliest = Double.isNaN(earliest) ? at : Math.min(earliest, at);
        }
      }
      return earliest;
    } catch (IOException | CertificateException e) {
      return Double.NaN; // the TLS setup itself reports an unreadable certificate
    }
  }
}
