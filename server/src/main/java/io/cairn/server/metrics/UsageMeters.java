package io.cairn.server.metrics;

import io.cairn.files.Await;
import io.cairn.storage.Journal;
import io.cairn.storage.NamespaceInfo;
import io.cairn.storage.NamespaceUsage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the stored files add up to, sampled from the journal every few minutes: the live bytes of
 * every home and shared namespace ({@code cairn_storage_logical_bytes}), how many namespaces, and
 * the {@link #TOP} largest homes by user ({@code cairn_user_usage_bytes{user}}), a bounded number
 * of series however many users there are. Each namespace's usage is one row the journal keeps
 * with every commit, so a sample reads 1,000 namespaces with their counters per query. The same
 * homes' retained versions and trash ({@code cairn_user_history_bytes{user,kind}}) cost a pass over each home's
 * journal ({@link Journal#usage}), so they are read again only every {@link
 * #HISTORY_EVERY_SAMPLES}th scheduled sample, when the largest homes change, and on {@link
 * #sample()}.
 *
 * <p>The journal's rows ({@code cairn_journal_rows}) come from the same pass at no extra query: the
 * journal is append-only and each commit takes its namespace's next jid in the transaction that
 * writes its row, so a namespace's last jid is its row count and their sum (staged uploads'
 * namespaces included) is the journal's, on every backend (the journal model test holds that a
 * namespace's rows are jids 1 to its last jid, refused commits included, on SQLite and PostgreSQL).
 * A {@code count(*)} of a 10-million-row journal would read the whole table on each scrape.
 */
public final class UsageMeters implements AutoCloseable {
  /** How many users' usage is reported: the largest homes. */
  public static final int TOP = 10;

  /** Scheduled samples between two readings of the largest homes' history: an hour at 5 minutes. */
  static final int HISTORY_EVERY_SAMPLES = 12;

  private static final Logger LOG = LoggerFactory.getLogger(UsageMeters.class);
  private static final String HOME = "home:";
  private static final String STAGING = "uploads:";

  /**
   * One sample: the totals and the largest homes, largest first.
   *
   * @param logicalBytes live bytes of every home and shared namespace
   * @param namespaces homes and shared namespaces (staged uploads' not counted)
   * @param journalRows rows in the journal, every namespace's (staged uploads' too)
   * @param largestHomes the {@link #TOP} largest homes, largest first
   */
  public record Sample(long logicalBytes, long namespaces, long journalRows, List<NamespaceInfo> largestHomes) {}

  private final Journal journal;
  private final MultiGauge users;
  private final MultiGauge history;
  private List<String> historyOf = List.of(); // the homes whose history the gauge shows, on the timer thread
  private int samplesSinceHistory;
  private final AtomicReference<Sample> last = new AtomicReference<>(new Sample(0, 0, 0, List.of()));
  private final ScheduledExecutorService timer;

  /**
   * Registers the meters and samples every {@code everyMinutes} (never when 0), the first at once,
   * in the background.
   */
  public UsageMeters(Journal journal, MeterRegistry registry, long everyMinutes) {
    this.journal = journal;
    Gauge.builder("cairn.storage.logical", last, r -> r.get().logicalBytes()).baseUnit("bytes")
        .description("Live bytes of every home and shared namespace (files as users see them, before dedup)")
        .register(registry);
    Gauge.builder("cairn.storage.namespaces", last, r -> r.get().namespaces())
        .description("Homes and shared namespaces").register(registry);
    Gauge.builder("cairn.journal.rows", last, r -> r.get().journalRows())
        .description("Rows in the journal: every namespace's last jid, summed (the journal is append-only)")
        .register(registry);
    users = MultiGauge.builder("cairn.user.usage").baseUnit("bytes")
        .description("Live bytes of the largest homes, by user (the " + TOP + " largest only)").register(registry);
    history = MultiGauge.builder("cairn.user.history").baseUnit("bytes")
        .description("Retained versions (kind=versions) and trash (kind=trash) of the " + TOP
            + " largest homes, by user: logical bytes, read at most hourly")
        .register(registry);
    timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("cairn-usage").factory());
    if (everyMinutes > 0) {
      timer.scheduleWithFixedDelay(this::sampleLogged, 0, everyMinutes, TimeUnit.MINUTES);
    }
  }

  /**
   * Samples now and updates the meters; fails as the journal does. It runs on the sampling thread,
   * after any sample already under way, so an older sample never overwrites this one.
   */
  public Sample sample() {
    try {
      return timer.submit(() -> sampleNow(true)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sampling usage", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  private Sample sampleNow(boolean withHistory) {
    long total = 0;
    long count = 0;
    long rows = 0;
    PriorityQueue<NamespaceInfo> largest = new PriorityQueue<>(Comparator.comparingLong(NamespaceInfo::usedBytes));
    String after = null;
    while (true) {
      List<NamespaceInfo> page = Await.result(journal.namespaceInfos(after, 1000));
      for (NamespaceInfo info : page) {
        String ns = info.name();
        rows += info.lastJid();
        if (ns.startsWith(STAGING)) {
          continue; // parts of chunked uploads: not files yet
        }
        total += info.usedBytes();
        count++;
        if (ns.startsWith(HOME)) {
          largest.add(info);
          if (largest.size() > TOP) {
            largest.poll();
          }
        }
      }
      if (page.size() < 1000) {
        break;
      }
      after = page.get(page.size() - 1).name();
    }
    List<NamespaceInfo> homes = new ArrayList<>(largest);
    homes.sort(Comparator.comparingLong(NamespaceInfo::usedBytes).reversed());
    Sample s = new Sample(total, count, rows, List.copyOf(homes));
    last.set(s);
    users.register(homes.stream()
        .map(h -> MultiGauge.Row.of(Tags.of("user", h.name().substring(HOME.length())), h.usedBytes()))
        .toList(), true);
    List<String> names = homes.stream().map(NamespaceInfo::name).toList();
    if (withHistory || !names.equals(historyOf) || ++samplesSinceHistory >= HISTORY_EVERY_SAMPLES) {
      sampleHistory(names);
    }
    return s;
  }

  /** The versions and trash of {@code homes}, two rows each. */
  private void sampleHistory(List<String> homes) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (String ns : homes) {
      NamespaceUsage u = Await.result(journal.usage(ns));
      String user = ns.substring(HOME.length());
      rows.add(MultiGauge.Row.of(Tags.of("user", user, "kind", "versions"), u.versionBytes()));
      rows.add(MultiGauge.Row.of(Tags.of("user", user, "kind", "trash"), u.trashBytes()));
    }
    history.register(rows, true);
    historyOf = homes;
    samplesSinceHistory = 0;
  }

  private void sampleLogged() {
    try {
      sampleNow(false);
    } catch (RuntimeException e) {
      LOG.warn("usage metrics: cannot read the journal ({}); the last sample stays", e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
