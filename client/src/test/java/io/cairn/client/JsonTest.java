package io.cairn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void readsWhatTheServerWrites() {
    Map<String, Object> o = Json.object("{\"path\": \"/caf\\u00e9 \\\"x\\\".txt\", \"size\": 12, \"has_more\": false,"
        + " \"from\": null, \"blocklist\": [{\"hash\": \"ab\", \"size\": 1}], \"f\": 1.5e3}");
    assertEquals("/café \"x\".txt", o.get("path"));
    assertEquals(12L, o.get("size"));
    assertEquals(false, o.get("has_more"));
    assertEquals(null, o.get("from"));
    assertEquals(List.of(Map.of("hash", "ab", "size", 1L)), o.get("blocklist"));
    assertEquals(1500.0, o.get("f"));
  }

  @Test
  void writesWhatItReadsBack() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("path", "/a\nb\t\"c\"\\\u0001");
    o.put("base", null);
    o.put("list", Arrays.asList(1L, "two", true));
    assertEquals(o, Json.parse(Json.write(o)));
  }

  @Test
  void refusesWhatIsNotJson() {
    for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "tru", "{\"a\": 1} x", "\"\\q\"")) {
      assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
    }
  }
}
