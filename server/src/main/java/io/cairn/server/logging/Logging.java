package io.cairn.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from {@link LogSettings}: the whole configuration is this class (no
 * logback.xml), applied once with the defaults when logging starts ({@link BootConfigurator}) and
 * again with the configuration's {@code log.*} keys when a server starts. Everything goes to the
 * console (stderr, which systemd's journal collects); only the access log may go to a file.
 */
public final class Logging {
  /** The logger of the access lines, one per request (the edge router's). */
  public static final String ACCESS_LOGGER = "io.cairn.access";

  /** The plain line: {@code 2026-12-04T16:30:00.123+0000 [INFO] CairnServer - message}. */
  static final String PLAIN_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSZ, UTC} [%level] %logger{0} - %msg%n";

  /** Libraries that say too much at info; a {@code log.level.NAME} key overrides each. */
  static final Map<String, String> QUIET_LIBRARIES = Map.of("io.milton", "warn", "io.netty", "warn", "com.hazelcast", "warn");

  private Logging() {}

  /**
   * Applies {@code settings} to the running Logback, replacing what was configured before. Does
   * nothing when SLF4J is bound to another backend (a test's classpath, say).
   */
  public static void apply(LogSettings settings) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      synchronized (Logging.class) {
        context.reset();
        configure(context, settings);
      }
    }
  }

  /**
   * Where the access lines go when {@code log.access.file} is set: the access logger, which then
   * writes to its rolling file only; null when the access log shares the console.
   */
  public static Consumer<String> accessFileSink(LogSettings settings) {
    if (settings.accessFile() == null) {
      return null;
    }
    org.slf4j.Logger access = LoggerFactory.getLogger(ACCESS_LOGGER);
    return access::info;
  }

  static void configure(LoggerContext context, LogSettings settings) {
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setName("console");
    console.setTarget("System.err");
    start(context, console, settings.json());
    root.addAppender(console);
    root.setLevel(Level.toLevel(settings.rootLevel()));
    QUIET_LIBRARIES.forEach((name, level) -> context.getLogger(name).setLevel(Level.toLevel(level)));
    settings.levels().forEach((name, level) -> context.getLogger(name).setLevel(Level.toLevel(level)));
    if (settings.accessFile() != null) {
      RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
      file.setName("access-file");
      file.setContext(context);
      String path = settings.accessFile().toAbsolutePath().toString();
      file.setFile(path);
      // A fixed window, renamed in the writing thread: FILE.1 is the newest rolled file. Logback's
      // SizeAndTimeBasedRollingPolicy lost whole rolled files now and then (issue 17): after each
      // rollover it starts an asynchronous archive remover, and two of them running at once share
      // one RollingCalendar, a GregorianCalendar that each mutates to compute the day to clean; one
      // could read the other's "today" and delete every file rolled today.
      FixedWindowRollingPolicy window = new FixedWindowRollingPolicy();
      window.setContext(context);
      window.setParent(file);
      window.setFileNamePattern(path + ".%i");
      window.setMinIndex(1);
      window.setMaxIndex(settings.accessMaxFiles());
      window.start();
      file.setRollingPolicy(window);
      WrittenBytesTrigger<ILoggingEvent> trigger = new WrittenBytesTrigger<>(settings.accessMaxBytes());
      trigger.setContext(context);
      trigger.start();
      file.setTriggeringPolicy(trigger);
      start(context, file, settings.json());
      Logger access = context.getLogger(ACCESS_LOGGER);
      access.setAdditive(false);
      access.addAppender(file);
    }
  }

  private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, boolean json) {
    appender.setContext(context);
    appender.setEncoder(encoder(context, json));
    appender.start();
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
    if (json) {
      JsonLayout layout = new JsonLayout();
      layout.setContext(context);
      layout.start();
      LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
      encoder.setContext(context);
      encoder.setLayout(layout);
      encoder.start();
      return encoder;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PLAIN_PATTERN);
    encoder.start();
    return encoder;
  }
}
