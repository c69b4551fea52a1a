package io.cairn.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each command's help, and mistakes answered with what to type instead. */
class CommandHelpTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AdminCli cli = new AdminCli(new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));

  private int run(String... args) {
    // Help and usage mistakes are answered before any database is opened.
    return cli.run(List.of(args), null, c -> { throw new AssertionError("opened the database"); });
  }

  @Test
  void aGroupsHelpListsOnlyItsCommandsOnStandardOutput() {
    assertEquals(0, run("token", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("token create USER NAME [--expires 30d]"), help);
    assertTrue(help.contains("expiry in m, h or d"), "continuation lines come along: " + help);
    assertTrue(help.contains("token revoke USER ID"));
    assertFalse(help.contains("user add"), help);
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aMistypedCommandIsAnsweredWithTheNearestOne() {
    assertEquals(2, run("user", "ad", "bob"));
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.startsWith("cairn: unknown command: user ad (did you mean user add?)"), e);
    assertFalse(e.contains("ns grant"), "only the group's usage follows: " + e);
  }

  @Test
  void aMissingArgumentShowsThatCommandsUsage() {
    assertEquals(2, run("quota", "set", "alice"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("quota set USER SIZE|none"));
  }

  @Test
  void commandsAreReadFromTheUsageText() {
    assertTrue(AdminCli.COMMANDS.containsAll(List.of("user add", "user list", "token revoke", "quota set", "ns grant")),
        AdminCli.COMMANDS.toString());
  }

  @Test
  void nearestIsWithinTheGivenDistanceOnly() {
    assertEquals("user", Spelling.nearest("usr", List.of("user", "token", "gc"), 2));
    assertEquals("--port", Spelling.nearest("--prot", List.of("--port", "--bind"), 2));
    assertEquals(null, Spelling.nearest("backup", List.of("user", "token", "gc"), 2));
  }
}
