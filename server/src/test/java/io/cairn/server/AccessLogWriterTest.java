package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AccessLogWriterTest {

  @Test
  void everyLineIsWrittenOnceInOrderWithTheLogPrefix() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLogWriter log = new AccessLogWriter(out);
    for (int i = 0; i < 20_000; i++) {
      log.accept("method=GET path=/f" + i + " status=200");
    }
    log.close();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(20_000, lines.length);
    for (int i = 0; i < lines.length; i++) {
      assertTrue(
          lines[i].matches(
              "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000 \\[INFO] access - method=GET path=/f"
                  + i
                  + " status=200"),
          lines[i]);
    }
  }

  @Test
  void withJsonEachLineIsAJsonObjectNamingTheAccessLogger() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLogWriter log = new AccessLogWriter(out, true);
    log.accept("method=PUT path=/a \"quoted\".txt status=201 user=alice");
    log.close();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(1, lines.length);
    io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(lines[0]);
    assertEquals("INFO", json.getString("level"));
    assertEquals("io.cairn.access", json.getString("logger"));
    assertEquals("method=PUT path=/a \"quoted\".txt status=201 user=alice", json.getString("message"));
    assertTrue(json.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z"), json.getString("timestamp"));
  }

  @Test
  void linesFromManyThreadsAreNeitherLostNorTorn() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLogWriter log = new AccessLogWriter(out);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int id = t;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < 2_000; i++) {
                      log.accept("t=" + id + " i=" + i);
                    }
                  }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join(60_000);
    }
    log.close();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(16_000, lines.length);
    int[] next = new int[8];
    for (String line : lines) {
      String text = line.substring(line.indexOf(" - ") + 3);
      String[] f = text.split(" ");
      int id = Integer.parseInt(f[0].substring(2));
      assertEquals("i=" + next[id], f[1], "lines of one thread stay in order");
      next[id]++;
    }
  }

  @Test
  void aLineQueuedAfterCloseIsStillWritten() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLogWriter log = new AccessLogWriter(out);
    log.close();
    log.accept("late");
    assertTrue(out.toString(StandardCharsets.UTF_8).endsWith(" [INFO] access - late\n"));
  }
}
