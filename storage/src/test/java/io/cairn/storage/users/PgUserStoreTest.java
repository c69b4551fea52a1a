package io.cairn.storage.users;

import io.cairn.storage.pg.PgUserStore;
import io.cairn.storage.testkit.PostgresServer;
import java.time.Clock;

/** The user store contract on PostgreSQL: a database per test. */
class PgUserStoreTest extends UserStoreContractTest {
  @Override
  protected UserStore create() {
    return await(PgUserStore.open(null, PostgresServer.shared().newDatabase(), Clock.systemUTC()));
  }
}
