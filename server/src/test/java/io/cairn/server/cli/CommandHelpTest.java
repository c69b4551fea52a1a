package io.cairn.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import io.cairn.server.CairnServer;
import io.cairn.server.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command's help, and mistakes answered with what to type instead. */
class CommandHelpTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AdminCli cli = new AdminCli(new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));

  private int run(String... args) {
    out.reset();
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
    assertTrue(help.startsWith("Administration (against the journal of --data DIR or --config FILE"), "where: " + help);
    assertTrue(help.contains("Exit 0 done, 1 refused"), "and the exit statuses: " + help);
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aMistypedCommandIsAnsweredWithTheNearestOne() {
    assertEquals(2, run("user", "ad", "bob"));
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals("cairn: unknown command user ad (did you mean user add?); cairn user --help lists user's commands\n", e);
  }

  @Test
  void aMissingArgumentIsNamedWithThatCommandsUsageInOneLine() {
    assertEquals(2, run("quota", "set", "alice"));
    assertEquals("cairn: quota set needs SIZE|none; usage: cairn quota set USER SIZE|none\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyCommandOfTheHelpIsParsedAndAnswersAMissingArgumentWithItsSynopsis() {
    for (String command : CommandUsage.COMMANDS) {
      String synopsis = CommandUsage.synopsis(CommandUsage.ADMIN, command);
      if (!synopsis.matches(command + " [A-Z].*")) {
        continue; // takes no operand: it would open the database
      }
      err.reset();
      assertEquals(2, run(command.split(" ")), command);
      String e = err.toString(StandardCharsets.UTF_8);
      assertTrue(e.startsWith("cairn: " + command + " needs ") && e.endsWith("; usage: cairn " + synopsis + "\n"), e);
    }
  }

  @Test
  void anOptionOfAnotherCommandIsRefusedNotIgnored() {
    assertEquals(2, run("user", "list", "--admin"));
    assertEquals("cairn: user list has no option --admin; usage: cairn user list\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void userAddWithNoPasswordToReadSaysHowToGiveOne(@TempDir Path data) {
    ServerConfig config = ServerConfig.load(null, Map.of("data.dir", data.toString()));
    assertEquals(2, cli.run(List.of("user", "add", "bob"), config, CairnServer::openAccounts));
    assertEquals("cairn: no password on standard input: run it at a terminal to be asked, or pipe one line to it\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void retentionAndPurgeTakeTheNameNsCreateGave(@TempDir Path data) {
    ServerConfig config = ServerConfig.load(null, Map.of("data.dir", data.toString()));
    assertEquals(2, cli.run(List.of("ns", "retention", "team"), config, CairnServer::openAccounts), "no journal yet");
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("cairn: no journal at "), err.toString(StandardCharsets.UTF_8));
    assertEquals(0, cli.run(List.of("ns", "create", "team"), config, CairnServer::openAccounts));
    assertEquals(0, cli.run(List.of("ns", "retention", "team", "trash.days=7"), config, CairnServer::openAccounts));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("retention.trash.days = 7 (team's own)"), out.toString(StandardCharsets.UTF_8));
    err.reset();
    assertEquals(1, cli.run(List.of("ns", "purge", "teem", "/a.txt"), config, CairnServer::openAccounts));
    assertEquals("cairn: no shared namespace teem (cairn ns create teem makes one; a home is home:USER)\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void commandsAreReadFromTheUsageText() {
    assertTrue(CommandUsage.COMMANDS.containsAll(List.of("user add", "user list", "token revoke", "quota set", "ns grant")),
        CommandUsage.COMMANDS.toString());
  }

  @Test
  void nearestIsWithinTheGivenDistanceOnly() {
    assertEquals("user", Spelling.nearest("usr", List.of("user", "token", "gc"), 2));
    assertEquals("--port", Spelling.nearest("--prot", List.of("--port", "--bind"), 2));
    assertEquals(null, Spelling.nearest("backup", List.of("user", "token", "gc"), 2));
  }
}
