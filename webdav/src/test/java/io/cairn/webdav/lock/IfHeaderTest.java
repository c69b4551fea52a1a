package io.cairn.webdav.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.webdav.lock.IfHeader.Condition;
import io.cairn.webdav.lock.IfHeader.ResourceState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The If header of RFC 4918 §10.4: its examples, and the conditional PUTs of litmus. */
class IfHeaderTest {
  private static final String T1 = "urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2";
  private static final String T2 = "urn:uuid:58f202ac-22cf-11d1-b12d-002035b29092";

  private static Function<String, ResourceState> requestUri(String etag, String... tokens) {
    ResourceState state = new ResourceState(etag, Set.of(tokens));
    return tag -> tag == null ? state : ResourceState.NONE;
  }

  private static boolean eval(String header, Function<String, ResourceState> states) {
    return IfHeader.parse(header).evaluate(states);
  }

  @Test
  void noTagProductionOfSection10_4_6() {
    String h = "(<" + T1 + "> [\"I am an ETag\"]) ([\"I am another ETag\"])";
    IfHeader parsed = IfHeader.parse(h);
    assertEquals(1, parsed.productions().size());
    assertTrue(parsed.productions().get(0).untagged());
    assertEquals(
        List.of(
            List.of(new Condition(false, T1, null), new Condition(false, null, "\"I am an ETag\"")),
            List.of(new Condition(false, null, "\"I am another ETag\""))),
        parsed.productions().get(0).lists());
    assertTrue(eval(h, requestUri("\"I am an ETag\"", T1)));
    assertTrue(eval(h, requestUri("\"I am another ETag\"")));
    assertFalse(eval(h, requestUri("\"I am an ETag\"")));
    assertFalse(eval(h, requestUri("\"a third\"", T1)));
  }

  @Test
  void notProductionOfSection10_4_7() {
    String h = "(Not <" + T1 + "> <" + T2 + ">)";
    assertTrue(eval(h, requestUri(null, T2)));
    assertFalse(eval(h, requestUri(null, T1, T2)));
    assertFalse(eval(h, requestUri(null)));
  }

  @Test
  void alwaysTrueConditionOfSection10_4_8SubmitsTheToken() {
    IfHeader h = IfHeader.parse("(<" + T1 + ">) (Not <DAV:no-lock>)");
    assertTrue(h.evaluate(requestUri(null)));
    assertTrue(h.evaluate(requestUri("\"x\"", T2)));
    assertEquals(Set.of(T1, "DAV:no-lock"), h.stateTokens());
  }

  @Test
  void taggedListOfSection10_4_9AppliesToItsTagOnly() {
    String h =
        "<http://www.example.com/resource1> (<" + T1 + "> [W/\"A weak ETag\"]) ([\"strong ETag\"])";
    IfHeader parsed = IfHeader.parse(h);
    assertEquals("http://www.example.com/resource1", parsed.productions().get(0).resourceTag());
    ResourceState locked = new ResourceState("W/\"A weak ETag\"", Set.of(T1));
    Map<String, ResourceState> byTag = Map.of("http://www.example.com/resource1", locked);
    assertTrue(parsed.evaluate(tag -> byTag.getOrDefault(tag, ResourceState.NONE)));
    // The Request-URI carrying that state does not help: the list names resource1.
    assertFalse(parsed.evaluate(tag -> tag == null ? locked : ResourceState.NONE));
    ResourceState strong = new ResourceState("\"strong ETag\"", Set.of());
    assertTrue(parsed.evaluate(tag -> tag == null ? ResourceState.NONE : strong));
  }

  @Test
  void collectionTagOfSection10_4_10() {
    String h = "<http://www.example.com/specs/> (<" + T1 + ">)";
    assertTrue(eval(h, tag -> new ResourceState(null, Set.of(T1))));
    assertFalse(eval(h, tag -> new ResourceState(null, Set.of(T2))));
  }

  @Test
  void unmappedUrlsOfSection10_4_11HaveNoState() {
    assertFalse(eval("</specs/rfc2518.doc> ([\"4217\"])", tag -> ResourceState.NONE));
    assertTrue(eval("</specs/rfc2518.doc> (Not [\"4217\"])", tag -> ResourceState.NONE));
  }

  @Test
  void anyTrueProductionMakesTheHeaderTrue() {
    String h = "</a> (<" + T1 + ">) </b> (<" + T2 + ">)";
    Function<String, ResourceState> onlyB =
        tag -> "/b".equals(tag) ? new ResourceState(null, Set.of(T2)) : ResourceState.NONE;
    assertTrue(eval(h, onlyB));
    assertFalse(eval(h, tag -> ResourceState.NONE));
    assertEquals(List.of(T1, T2), List.copyOf(IfHeader.parse(h).stateTokens()));
  }

  @Test
  void litmusConditionalPuts() {
    String tok = "opaquelocktoken:abc";
    Function<String, ResourceState> locked = requestUri("\"e1\"", tok);
    assertTrue(eval("(<" + tok + "> [\"e1\"])", locked), "cond_put");
    assertFalse(eval("(<DAV:no-lock> [\"e1\"])", locked), "fail_cond_put");
    assertFalse(eval("(<DAV:no-lock>)", requestUri("\"e1\"")), "fail_cond_put_unlocked");
    assertTrue(eval("(<" + tok + ">) (Not <DAV:no-lock>)", locked), "cond_put_with_not");
    // cond_put_corrupt_token: the header holds, the right token is missing: the lock check fails.
    IfHeader corrupt = IfHeader.parse("(<" + tok + "x>) (Not <DAV:no-lock>)");
    assertTrue(corrupt.evaluate(locked));
    assertFalse(corrupt.stateTokens().contains(tok));
    assertTrue(
        eval("(<" + tok + "> [\"e1\"]) (Not <DAV:no-lock> [\"e1\"])", locked),
        "complex_cond_put");
    assertFalse(
        eval("(<" + tok + "> [\"e2\"]) (Not <DAV:no-lock> [\"e2\"])", locked),
        "fail_complex_cond_put");
  }

  @Test
  void entityTagsCompareWeakly() {
    assertTrue(eval("([W/\"x\"])", requestUri("\"x\"")));
    assertTrue(eval("([\"x\"])", requestUri("W/\"x\"")));
    assertFalse(eval("([\"x\"])", requestUri("\"y\"")));
    assertFalse(eval("([\"x\"])", requestUri(null)));
    assertTrue(eval("(Not [\"x\"])", requestUri(null)));
  }

  @Test
  void neonStyleTaggedHeaderWithSpacesAndFolding() {
    IfHeader h =
        IfHeader.parse(" <http://localhost:8080/litmus/lockcoll/> (<" + T1 + ">)\r\n\t</x> ( not <" + T2 + "> ) ");
    assertEquals(2, h.productions().size());
    assertEquals("http://localhost:8080/litmus/lockcoll/", h.productions().get(0).resourceTag());
    assertEquals(new Condition(true, T2, null), h.productions().get(1).lists().get(0).get(0));
  }

  @Test
  void entityTagsMayHoldBracketsAndEscapedQuotes() {
    IfHeader h = IfHeader.parse("([\"a]b\\\"c\"])");
    assertEquals("\"a]b\\\"c\"", h.productions().get(0).lists().get(0).get(0).entityTag());
  }

  @Test
  void blankHeaderIsAbsent() {
    assertNull(IfHeader.parse(null));
    assertNull(IfHeader.parse("  "));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(",
        "()",
        "(<a>",
        "<http://x/>",
        "(Not)",
        "([unquoted])",
        "([\"open)",
        "(<a> junk)",
        "(<a b>)",
        "(<>)",
        "<a> <b> (<c>)",
        "x (<a>)",
        "(<a>) garbage"
      })
  void malformedHeadersAreRefused(String value) {
    assertThrows(IfHeader.Malformed.class, () -> IfHeader.parse(value));
  }
}
