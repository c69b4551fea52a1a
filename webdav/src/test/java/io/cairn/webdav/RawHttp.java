package io.cairn.webdav;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Requests over a plain socket, for what java.net.http will not send: paths it would normalize,
 * bodies cut off mid-way, chunked bodies with Finder's headers.
 */
final class RawHttp {
  private RawHttp() {}

  /** Sends {@code head} (request line and headers, CRLF-terminated, without the blank line) and {@code body}; returns the status code. */
  static int exchange(int port, String head, byte[] body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return readStatus(s.getInputStream());
    }
  }

  /** Writes the head and {@code sent} bytes, then closes the socket without reading. */
  static void sendAndHangUp(int port, String head, byte[] sent) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(sent);
      out.flush();
      s.setSoLinger(true, 0);
    }
  }

  /** The chunked transfer coding of {@code body}, in pieces of {@code piece} bytes. */
  static byte[] chunked(byte[] body, int piece) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int off = 0; off < body.length; off += piece) {
      int n = Math.min(piece, body.length - off);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, off, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static int readStatus(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      line.append((char) c);
    }
    String[] parts = line.toString().trim().split(" ");
    if (parts.length < 2) {
      throw new IOException("no status line: " + line);
    }
    return Integer.parseInt(parts[1]);
  }
}
