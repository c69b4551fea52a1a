package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.BindException;
import org.junit.jupiter.api.Test;

/** A start that fails says why in one line, the usual socket errors in plain words. */
class StartFailureTest {
  @Test
  void aTakenPortIsSaidPlainly() {
    RuntimeException e = new IllegalStateException("cannot start listening on 127.0.0.1:8080: io.netty.channel.unix."
        + "Errors$NativeIoException: bind(..) failed with error(-98): Address already in use",
        new RuntimeException(new BindException("bind(..) failed with error(-98): Address already in use")));
    assertEquals("cannot start listening on 127.0.0.1:8080: the address is in use (another program, or another Cairn, "
        + "listens there)", Main.why(e));
  }

  @Test
  void anAddressOfAnotherMachineIsSaidPlainly() {
    RuntimeException e = new IllegalStateException("cannot start listening on 10.1.2.3:8080: x",
        new BindException("Cannot assign requested address"));
    assertEquals("cannot start listening on 10.1.2.3:8080: that address is not one of this machine's", Main.why(e));
  }

  @Test
  void anythingElseKeepsItsMessage() {
    assertEquals("journal postgresql://db/cairn: connection refused",
        Main.why(new IllegalStateException("journal postgresql://db/cairn: connection refused")));
  }
}
