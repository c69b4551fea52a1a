package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourcesTest {
  @Test
  void whatWasOpenedClosesInReverseOrderOnceEvenPastAFailure() {
    List<String> closed = new ArrayList<>();
    Resources resources = new Resources();
    resources.add("vertx", "vertx", closed::add);
    resources.add("journal", "journal", closed::add);
    resources.add("broken", "broken", r -> {
      throw new IllegalStateException("cannot close");
    });
    resources.add("http", "http", closed::add);
    resources.close();
    resources.close();
    assertEquals(List.of("http", "journal", "vertx"), closed);
  }
}
