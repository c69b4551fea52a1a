package io.cairn.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

/** Logback's events as {@link JsonLine}s: {@code log.format = json}. */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    return JsonLine.append(new StringBuilder(256), event.getTimeStamp(), event.getLevel().toString(),
        event.getLoggerName(), event.getThreadName(), event.getFormattedMessage(),
        thrown == null ? null : ThrowableProxyUtil.asString(thrown)).toString();
  }
}
