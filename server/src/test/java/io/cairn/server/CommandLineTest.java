package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn} as a new operator meets it, in a process of its own (exit statuses are
 * System.exit's): --version, help for every command, and every mistake answered with one line on
 * stderr that says what to type instead, exit status 2 and no stack trace.
 */
class CommandLineTest {
  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  private Run cairn(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), "io.cairn.server.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("CAIRN_DEBUG");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("cairn " + String.join(" ", args) + " did not end within 60 s");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  /** A mistake: exit 2, nothing on stdout, one line on stderr containing each of {@code says}. */
  private void mistake(List<String> args, String... says) throws Exception {
    Run r = cairn(args.toArray(String[]::new));
    String what = "cairn " + String.join(" ", args) + " said: " + r.err();
    assertEquals(2, r.status(), what);
    assertEquals("", r.out(), what);
    assertEquals(1, r.err().lines().count(), "one line: " + what);
    assertTrue(r.err().startsWith("cairn"), what);
    for (String s : says) {
      assertTrue(r.err().contains(s), "expected '" + s + "': " + what);
    }
  }

  @Test
  void versionAndHelpForEveryCommandExitZero() throws Exception {
    Run version = cairn("--version");
    assertEquals(0, version.status(), version.err());
    assertTrue(version.out().matches("cairn \\S+ \\(Java [^)]+\\)\\n"), version.out());

    Run help = cairn("help");
    assertEquals(0, help.status(), help.err());
    for (String synopsis : List.of("--port N", "--data DIR", "--config FILE", "--version", "user add NAME [--admin]",
        "token create USER NAME [--expires 30d]", "quota show USER", "ns purge NAME PATH [--trash]",
        "fsck [--verify] [--repair]", "gc [--dry-run]", "backup TARGET_DIR [--copy]", "cairn sync LOCAL_DIR URL",
        "Exit 0 done, 1 refused")) {
      assertTrue(help.out().contains(synopsis), "cairn help lists " + synopsis);
    }
    String[][] each = {{"user", "user passwd NAME [--password-stdin]"}, {"token", "token revoke USER ID"},
        {"quota", "quota set USER SIZE|none"}, {"ns", "ns grant NAME USER read|write"},
        {"fsck", "fsck [--verify] [--repair]"}, {"gc", "gc [--dry-run]"}, {"backup", "backup TARGET_DIR"},
        {"sync", "cairn sync LOCAL_DIR URL"}};
    for (String[] c : each) {
      Run r = cairn(c[0], "--help");
      assertEquals(0, r.status(), c[0] + " --help: " + r.err());
      assertEquals("", r.err(), c[0] + " --help");
      assertTrue(r.out().contains(c[1]), c[0] + " --help shows " + c[1] + ": " + r.out());
      assertFalse(r.out().contains("--admin-password"), c[0] + " --help is that command's, not all: " + r.out());
    }
    assertEquals(cairn("token", "--help").out(), cairn("help", "token").out(), "cairn help token is cairn token --help");
  }

  @Test
  void mistakesAreOneLineSayingWhatToTypeInstead() throws Exception {
    Path data = dir.resolve("data");
    mistake(List.of("--prot", "9000"), "unknown flag --prot", "did you mean --port?", "cairn --help");
    mistake(List.of("--port"), "--port needs a value");
    mistake(List.of("--port", "eighty", "--data", data.toString()), "port must be a number, not eighty");
    mistake(List.of("--config", "nowhere.properties"), "no configuration file nowhere.properties");
    mistake(List.of("usr", "add", "bob"), "unknown command usr", "did you mean user?");
    mistake(List.of("version"), "did you mean --version?");
    mistake(List.of("restore"), "cairn --data BACKUP_DIR");
    mistake(List.of("--port", "9000", "fsck"), "fsck comes first, or after --data DIR, --config FILE or --debug only");
    mistake(List.of("user", "ad", "bob"), "unknown command user ad", "did you mean user add?", "cairn user --help");
    mistake(List.of("user", "add", "bob", "--admn"), "user add has no option --admn", "did you mean --admin?",
        "usage: cairn user add NAME [--admin] [--password-stdin]");
    mistake(List.of("quota", "set", "alice"), "quota set needs SIZE|none", "usage: cairn quota set USER SIZE|none");
    mistake(List.of("token", "create", "alice", "laptop", "--expires", "soon"), "bad expiry 'soon'", "such as 30d");
    mistake(List.of("fsck", "--verfy", "--data", data.toString()), "did you mean --verify?",
        "usage: cairn fsck [--verify] [--repair] [--data DIR | --config FILE]");
    mistake(List.of("gc", "--dry-run", "--data"), "--data needs a directory", "usage: cairn gc");
    mistake(List.of("backup"), "backup needs TARGET_DIR", "usage: cairn backup TARGET_DIR");
    mistake(List.of("sync", "--bogus"), "unknown option --bogus", "cairn sync --help");
    assertFalse(Files.exists(data), "no mistake created the data directory");
  }

  @Test
  void anAdministrationCommandOnADirectoryWithoutAJournalSaysSoAndCreatesNothing() throws Exception {
    Path typo = dir.resolve("dta");
    mistake(List.of("user", "list", "--data", typo.toString()), "no journal at " + typo.resolve("journal.db"),
        "give the --data DIR");
    assertFalse(Files.exists(typo.resolve("journal.db")), "not created by a command that only reads");
  }
}
