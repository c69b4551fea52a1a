package io.cairn.server.admin;

import io.cairn.core.CairnException;
import io.cairn.files.Await;
import io.cairn.server.auth.Accounts;
import io.cairn.storage.Journal;
import io.cairn.storage.NamespaceUsage;
import io.cairn.storage.users.User;
import io.vertx.core.json.JsonObject;

/**
 * What a user's home holds against their quota, live files, retained versions and trash apart
 * (issue 14): for the admin API's {@code GET users/NAME/quota} (which the web interface's settings
 * page reads for the user) and {@code cairn quota show}. Blocking: reading the figures is a pass
 * over the home's journal ({@link Journal#usage}).
 */
public final class QuotaReport {
  /**
   * One user's figures.
   *
   * @param quotaBytes the quota that applies: the user's own, else the server's; -1 for none
   * @param countsHistory whether versions and trash count against it ({@code quota.counts.history})
   */
  public record Usage(String user, long quotaBytes, boolean countsHistory, NamespaceUsage bytes) {
    /** What counts against the quota: the live bytes, and the history too when it counts. */
    public long countedBytes() {
      return countsHistory ? bytes.totalBytes() : bytes.liveBytes();
    }

    /** The admin API's answer. */
    public JsonObject toJson() {
      return new JsonObject()
          .put("name", user)
          .put("namespace", bytes.name())
          .put("quotaBytes", quotaBytes)
          .put("countsHistory", countsHistory)
          .put("liveBytes", bytes.liveBytes())
          .put("versionBytes", bytes.versionBytes())
          .put("trashBytes", bytes.trashBytes())
          .put("totalBytes", bytes.totalBytes())
          .put("countedBytes", countedBytes());
    }
  }

  private final Accounts accounts;
  private final Journal journal;
  private final long serverQuotaBytes;
  private final boolean countsHistory;

  /**
   * @param serverQuotaBytes the {@code quota} key: a home's quota when its user has none, -1 none
   * @param countsHistory the {@code quota.counts.history} key
   */
  public QuotaReport(Accounts accounts, Journal journal, long serverQuotaBytes, boolean countsHistory) {
    this.accounts = accounts;
    this.journal = journal;
    this.serverQuotaBytes = serverQuotaBytes;
    this.countsHistory = countsHistory;
  }

  /** The figures of {@code userName}'s home; NOT_FOUND for an unknown user. */
  public Usage of(String userName) {
    User u = accounts.user(userName);
    if (u == null) {
      throw CairnException.notFound("no user " + userName);
    }
    long quota = u.quotaBytes() >= 0 ? u.quotaBytes() : serverQuotaBytes;
    return new Usage(u.name(), quota, countsHistory, Await.result(journal.usage(u.home())));
  }
}
