package io.cairn.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration before the server's configuration is read (and for the commands, which
 * read none): {@link LogSettings#defaults()}. Found by Logback through {@code
 * META-INF/services/ch.qos.logback.classic.spi.Configurator}.
 */
public final class BootConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    Logging.configure(context, LogSettings.defaults());
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
