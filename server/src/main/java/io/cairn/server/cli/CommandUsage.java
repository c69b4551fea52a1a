package io.cairn.server.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The usage text of the administration commands, and how every command of {@code cairn} words a
 * mistake: one line on stderr, {@code cairn: <what is wrong>; usage: cairn <the command's
 * synopsis>}, with the nearest word when one was mistyped, and exit status {@link #USAGE_ERROR}.
 * The synopses are read from the help texts, so the error and {@code --help} cannot disagree.
 */
public final class CommandUsage {
  /** The exit status of a command-line mistake or a configuration that cannot be read. */
  public static final int USAGE_ERROR = 2;

  /** The administration commands, as {@code cairn --help} and {@code cairn GROUP --help} show them. */
  public static final String ADMIN =
      """
      Administration (against the journal of --data DIR or --config FILE, default ./data; with or
      without the server running):
        user add NAME [--admin] [--password-stdin]
                                       create a user and their home; the password is prompted
                                       twice, or read from one line of stdin
        user passwd NAME [--password-stdin]
                                       set a new password
        user remove NAME               remove a user, their tokens and grants (files stay)
        user list                      list users
        token create USER NAME [--expires 30d]
                                       create an app token (shown once); expiry in m, h or d
        token list USER                list a user's tokens
        token revoke USER ID           revoke a token at once
        quota set USER SIZE|none       bytes USER's home may hold (K, M, G, T suffixes)
        quota show USER                what USER's home holds: live files, versions, trash
        ns create NAME                 create a shared namespace
        ns grant NAME USER read|write  show it to USER as the folder /NAME/ of their home
        ns revoke NAME USER            withdraw it at once
        ns retention NAME [KEY=DAYS|KEY=default ...]
                                       show or set NAME's own retention.* settings (KEY
                                       without "retention.", e.g. keep.all.days=7)
        ns purge NAME PATH [--trash]   expire every earlier version of PATH in NAME, and with
                                       --trash its trash: gone from history; gc frees the
                                       chunks after its grace (for retention and purge, NAME
                                       is a shared namespace such as team, or home:USER)
      Exit 0 done, 1 refused (no such user, namespace or token; a value out of range), 2 could not
      run (a usage mistake, a bad configuration, no journal at --data DIR, the journal unreachable)
      """;

  /** The administration command groups. */
  public static final List<String> GROUPS = List.of("user", "token", "quota", "ns");

  /** The administration commands, as "group verb", in the order of {@link #ADMIN}. */
  public static final List<String> COMMANDS = ADMIN.lines()
      .map(String::strip)
      .map(l -> l.split("\\s+"))
      .filter(w -> w.length >= 2 && GROUPS.contains(w[0]) && Character.isLetter(w[1].charAt(0)))
      .map(w -> w[0] + " " + w[1])
      .distinct()
      .toList();

  private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");

  private CommandUsage() {}

  /** Whether {@code word} starts an administration command. */
  public static boolean isAdminGroup(String word) {
    return GROUPS.contains(word);
  }

  /**
   * {@code cairn GROUP --help}: the heading, the group's commands with their continuation lines,
   * and the exit statuses; all of {@link #ADMIN} for a word that is no group.
   */
  public static String ofGroup(String group) {
    if (!isAdminGroup(group)) {
      return ADMIN;
    }
    StringBuilder b = new StringBuilder();
    boolean in = false;
    for (String line : ADMIN.lines().toList()) {
      if (!line.startsWith(" ")) { // the heading and the exit statuses: every group's
        b.append(line).append('\n');
        continue;
      }
      if (!line.startsWith("   ")) { // a command; deeper lines continue it
        in = line.strip().startsWith(group + " ");
      }
      if (in) {
        b.append(line).append('\n');
      }
    }
    return b.append("(cairn --help lists every command)\n").toString();
  }

  /**
   * The synopsis of {@code command} in {@code usage}: its first line that starts with the command
   * (after an optional {@code cairn }), stripped of the description beside it; the command itself
   * when the text has no such line.
   */
  public static String synopsis(String usage, String command) {
    for (String line : usage.lines().toList()) {
      String s = line.strip().replaceFirst("^cairn ", "");
      if (s.equals(command) || s.startsWith(command + " ")) {
        return s.split("\\s{2,}")[0];
      }
    }
    return command;
  }

  /** The line for a mistake: {@code <problem>; usage: cairn <synopsis>} (printed after "cairn: "). */
  public static String mistake(String problem, String synopsis) {
    return problem + "; usage: cairn " + synopsis;
  }

  /**
   * A word starting with "-" that {@code command} does not take: what it was probably meant to be,
   * among the options its synopsis names and {@code more}.
   */
  public static String unknownOption(String command, String word, String synopsis, String... more) {
    Set<String> options = new LinkedHashSet<>(optionsIn(synopsis));
    options.addAll(List.of(more));
    String meant = Spelling.nearest(word, options, 2);
    return command + " has no option " + word + (meant == null ? "" : " (did you mean " + meant + "?)");
  }

  /** The {@code --options} a synopsis names. */
  static List<String> optionsIn(String synopsis) {
    List<String> found = new ArrayList<>();
    Matcher m = OPTION.matcher(synopsis);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }
}
