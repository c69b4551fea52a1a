package io.cairn.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP relay to a server that, when armed, loses the answer to the next sync API commit: the
 * request reaches the server, which carries it out; when its answer starts back, the relay runs a
 * hook (another writer, say) and cuts the connection, so the client never learns the outcome, as
 * when a network fails at the worst moment.
 */
final class AnswerLosingRelay implements AutoCloseable {
  private static final String COMMIT = "POST /.cairn/api/v1/commit ";

  /** Answers lost so far. */
  final AtomicInteger lost = new AtomicInteger();
  private final ServerSocket listener;
  private final int target;
  private final AtomicReference<Runnable> armed = new AtomicReference<>();

  AnswerLosingRelay(int target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  String url(String path) {
    return "http://127.0.0.1:" + listener.getLocalPort() + path;
  }

  /** Loses the answer to the next commit, running {@code hook} once the server has carried it out. */
  void loseNextCommitAnswer(Runnable hook) {
    armed.set(hook);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        AtomicReference<Runnable> pending = new AtomicReference<>();
        Thread.ofVirtual().start(() -> requests(client, server, pending));
        Thread.ofVirtual().start(() -> answers(server, client, pending));
      } catch (IOException e) {
        // closed, or one connection failed: keep accepting until closed
      }
    }
  }

  /** Client to server; a commit sent while armed takes the hook for this connection's next answer. */
  private void requests(Socket from, Socket to, AtomicReference<Runnable> pending) {
    byte[] buf = new byte[64 << 10];
    String tail = "";
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        String seen = tail + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        if (seen.contains(COMMIT) && armed.get() != null) {
          pending.set(armed.getAndSet(null));
        }
        tail = seen.substring(Math.max(0, seen.length() - COMMIT.length()));
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // cut
    } finally {
      close(from, to);
    }
  }

  /** Server to client, until an answer is to be lost: then the hook, and the connection cut. */
  private void answers(Socket from, Socket to, AtomicReference<Runnable> pending) {
    byte[] buf = new byte[64 << 10];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        Runnable hook = pending.getAndSet(null);
        if (hook != null) {
          hook.run();
          lost.incrementAndGet();
          return;
        }
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // cut
    } finally {
      close(from, to);
    }
  }

  private static void close(Socket a, Socket b) {
    for (Socket s : new Socket[] {a, b}) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
