package io.cairn.server.auth;

import io.cairn.core.CairnException;
import java.io.PrintStream;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first start on an empty user store creates the user {@code admin}: with the password given
 * (the {@code CAIRN_ADMIN_PASSWORD} environment variable or {@code --admin-password}), or with a
 * random one printed once to the console. Later starts leave users alone.
 */
public final class AdminBootstrap {
  public static final String ADMIN = "admin";
  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private AdminBootstrap() {}

  /**
   * Creates {@code admin} when there are no users yet.
   *
   * @param password the password to give admin, or null for a random one printed to {@code console}
   * @param changeCommand the command that changes it, printed with a random one
   * @return whether admin was created
   */
  public static boolean ensureAdmin(Accounts accounts, String password, PrintStream console, String changeCommand) {
    if (!accounts.listUsers().isEmpty()) {
      if (password != null) {
        LOG.info("users exist already: the admin password given at start is not applied");
      }
      return false;
    }
    String pw = password != null ? password : randomPassword();
    try {
      accounts.addUser(ADMIN, pw, true);
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.ALREADY_EXISTS) {
        throw e;
      }
      // Several cluster nodes started at once on a new database: another node created admin.
      return false;
    }
    if (password == null) {
      console.println();
      console.println("Created the user 'admin' with the password: " + pw);
      console.println("It is shown this once. Change it with: " + changeCommand);
      console.println();
      console.flush();
    } else {
      LOG.info("created the user 'admin' with the password given at start");
    }
    return true;
  }

  static String randomPassword() {
    SecureRandom r = new SecureRandom();
    StringBuilder b = new StringBuilder(20);
    for (int i = 0; i < 20; i++) {
      b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }
}
