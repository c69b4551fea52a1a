package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.CairnException;
import io.cairn.server.auth.Accounts;
import io.cairn.server.auth.LdapDirectory;
import io.cairn.server.auth.LdapFilters;
import io.cairn.server.auth.LdapSettings;
import io.cairn.storage.users.User;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import javax.naming.Context;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.ModificationItem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LDAP users against a real OpenLDAP ({@link Slapd}) and a real server over HTTP: passwords checked
 * by the directory, groups as admin flag and shared-namespace grants, filter injection, the
 * directory going away, and group changes after the cache period.
 */
class LdapTest {
  static final String PEOPLE = "ou=people," + Slapd.SUFFIX;
  static final String GROUPS = "ou=groups," + Slapd.SUFFIX;
  static final String SERVICE_DN = "cn=cairn," + Slapd.SUFFIX;
  static final int CACHE_SECONDS = 2;

  @TempDir static Path dir;
  static Slapd slapd;
  static TestServer s;

  @BeforeAll
  static void start() throws Exception {
    StringBuilder ldif = new StringBuilder();
    ldif.append(entry(SERVICE_DN, "objectClass: person", "cn: cairn", "sn: service", "userPassword: service-secret"));
    ldif.append(entry(PEOPLE, "objectClass: organizationalUnit", "ou: people"));
    ldif.append(entry(GROUPS, "objectClass: organizationalUnit", "ou: groups"));
    for (String uid : new String[] {"lena", "adam", "max", "gina", "nora", "tess", "olga"}) {
      ldif.append(person("uid=" + uid + "," + PEOPLE, uid, uid + "-password"));
    }
    // A login name that would widen an unescaped filter to every entry: (uid=a*)(uid=*).
    ldif.append(person("cn=tricky," + PEOPLE, "a*)(uid=*", "tricky-password"));
    ldif.append(group("cairn-admins", "adam", "max"));
    ldif.append(group("team", "gina"));
    ldif.append(group("readers", "gina"));
    slapd = Slapd.start(dir.resolve("slapd"), ldif.toString());
    s = TestServer.start(dir.resolve("data"), serverConfig(), java.net.http.HttpClient.newHttpClient());
  }

  static Map<String, String> serverConfig() {
    Map<String, String> c = new HashMap<>();
    c.put("ldap.url", slapd.url());
    c.put("ldap.bind.dn", SERVICE_DN);
    c.put("ldap.bind.password", "service-secret");
    c.put("ldap.user.base", PEOPLE);
    c.put("ldap.group.base", GROUPS);
    c.put("ldap.admin.group", "cairn-admins");
    c.put("ldap.grants", "team=cn=team," + GROUPS + ":write; docs=cn=readers," + GROUPS + ":read");
    c.put("ldap.cache.seconds", Integer.toString(CACHE_SECONDS));
    return c;
  }

  @AfterAll
  static void stop() throws Exception {
    if (s != null) {
      s.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  static String entry(String dn, String... lines) {
    return "dn: " + dn + "\n" + String.join("\n", lines) + "\n\n";
  }

  static String person(String dn, String uid, String password) {
    return entry(dn, "objectClass: inetOrgPerson", "uid: " + uid, "cn: " + uid, "sn: " + uid, "userPassword: " + password);
  }

  static String group(String cn, String... uids) {
    String[] lines = new String[uids.length + 2];
    lines[0] = "objectClass: groupOfNames";
    lines[1] = "cn: " + cn;
    for (int i = 0; i < uids.length; i++) {
      lines[i + 2] = "member: uid=" + uids[i] + "," + PEOPLE;
    }
    return entry("cn=" + cn + "," + GROUPS, lines);
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static HttpResponse<byte[]> admin(String auth, String method, String path) throws Exception {
    return s.send(auth, method, "/.cairn/admin/" + path, null, "Content-Type", "application/json");
  }

  @Test
  void theFilterEscapesWhatRfc4515Names() {
    assertEquals("a\\2a\\29\\28uid=\\2a", LdapFilters.escape("a*)(uid=*"));
    assertEquals("\\5c\\00", LdapFilters.escape("\\\0"));
    assertEquals("(&(uid=\\7b1\\7d)(x=y))".replace("\\7b", "{").replace("\\7d", "}"),
        LdapFilters.format("(&(uid={0})(x={1}))", "{1}", "y"), "one pass: a value reading {1} stays as it is");
  }

  @Test
  void anLdapUserWritesAndReadsWithTheirPasswordOnly() throws Exception {
    String lena = TestServer.basic("lena", "lena-password");
    assertEquals(201, s.send(lena, "PUT", "/notes.txt", "from ldap".getBytes()).statusCode());
    HttpResponse<byte[]> got = s.send(lena, "GET", "/notes.txt", null);
    assertEquals(200, got.statusCode());
    assertEquals("from ldap", text(got));
    assertEquals(401, s.send(TestServer.basic("lena", "wrong-password"), "GET", "/notes.txt", null).statusCode());
    assertEquals(401, s.send(TestServer.basic("lena", ""), "GET", "/notes.txt", null).statusCode(),
        "an empty password would be an anonymous bind, which the directory accepts");
    User u = s.server.accounts().user("lena");
    assertTrue(Accounts.fromLdap(u), "marked as the directory's");
    assertEquals("home:lena", u.home());
    assertFalse(u.admin());
    CairnException e = assertThrows(CairnException.class, () -> s.server.accounts().setPassword("lena", "local-password"));
    assertEquals(CairnException.Kind.INVALID, e.kind());
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int exit = new io.cairn.server.cli.AdminCli(System.out, new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
            new java.io.ByteArrayInputStream("local-password\n".getBytes()))
        .run(new java.util.ArrayList<>(java.util.List.of("user", "passwd", "lena", "--password-stdin")), s.server.config(),
            CairnServer::openAccounts);
    assertTrue(exit != 0 && err.toString(StandardCharsets.UTF_8).contains("LDAP"), "user passwd: " + err);
    HttpResponse<byte[]> t = s.send(lena, "POST", "/.cairn/admin/users/lena/tokens",
        "{\"name\":\"sync\",\"expiresInSeconds\":3600}".getBytes(), "Content-Type", "application/json");
    assertEquals(201, t.statusCode(), text(t));
    String token = new JsonObject(text(t)).getString("token");
    assertEquals(200, s.send("Bearer " + token, "GET", "/notes.txt", null).statusCode(), "app tokens are Cairn's");
  }

  @Test
  void anLdapUserLogsInToTheWebInterfaceWithTheirDirectoryPassword() throws Exception {
    String wrong = new JsonObject().put("name", "lena").put("password", "wrong-password").encode();
    assertEquals(401, s.send(null, "POST", "/.cairn/web/login", wrong.getBytes(), "X-Cairn-CSRF", "login").statusCode());
    String right = new JsonObject().put("name", "lena").put("password", "lena-password").encode();
    HttpResponse<byte[]> login = s.send(null, "POST", "/.cairn/web/login", right.getBytes(), "X-Cairn-CSRF", "login");
    assertEquals(200, login.statusCode(), text(login));
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    HttpResponse<byte[]> session = s.send(null, "GET", "/.cairn/web/session", null, "Cookie", cookie);
    assertEquals("lena", new JsonObject(text(session)).getString("user"));
  }

  @Test
  void theAdminGroupsMembersUseTheAdminApi() throws Exception {
    assertEquals(200, admin(TestServer.basic("adam", "adam-password"), "GET", "users").statusCode());
    assertTrue(s.server.accounts().user("adam").admin());
    assertEquals(403, admin(TestServer.basic("gina", "gina-password"), "GET", "users").statusCode());
  }

  @Test
  void aGrantGroupsMembersSeeTheSharedNamespacesFolders() throws Exception {
    String gina = TestServer.basic("gina", "gina-password");
    String root = text(s.send(gina, "PROPFIND", "/", null, "Depth", "1"));
    assertTrue(root.contains("/team/") && root.contains("/docs/"), root);
    assertEquals(201, s.send(gina, "PUT", "/team/plan.txt", "plan".getBytes()).statusCode());
    assertEquals(403, s.send(gina, "PUT", "/docs/plan.txt", "plan".getBytes()).statusCode(), "readers only read");
    String nora = TestServer.basic("nora", "nora-password");
    assertFalse(text(s.send(nora, "PROPFIND", "/", null, "Depth", "1")).contains("/team/"));
    assertEquals(404, s.send(nora, "GET", "/team/plan.txt", null).statusCode());
  }

  @Test
  void aNameNeedingEscapingFindsOnlyItsOwnEntry() throws Exception {
    LdapDirectory d = new LdapDirectory(settings());
    assertEquals("cn=tricky," + PEOPLE, d.find("a*)(uid=*").dn().toString());
    assertNull(d.find("*"), "a wildcard is a literal star");
    assertNull(d.find("lena)(uid=*"));
    assertNull(d.authenticate("a*)(uid=*", "lena-password"), "not lena's entry, whatever the filter");
    assertNotNull(d.authenticate("a*)(uid=*", "tricky-password"));
    assertNull(d.authenticate("lena", ""));
    for (String name : new String[] {"a*)(uid=*", "*", "lena)(uid=*", "l*"}) {
      assertEquals(401, s.send(TestServer.basic(name, "lena-password"), "PROPFIND", "/", null, "Depth", "0").statusCode(), name);
    }
  }

  @Test
  void failedLdapLoginsCountInTheThrottle() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertEquals(401, s.send(TestServer.basic("tess", "guess-" + i), "PROPFIND", "/", null, "Depth", "0").statusCode());
    }
    assertEquals(429, s.send(TestServer.basic("tess", "tess-password"), "PROPFIND", "/", null, "Depth", "0").statusCode());
  }

  @Test
  void localUsersLogInWhileTheDirectoryIsDownAndLdapUsersAreAskedToRetry() throws Exception {
    s.server.accounts().addUser("lou", "lou-local-password", false);
    String lou = TestServer.basic("lou", "lou-local-password");
    // Olga logs in nowhere else: nothing of hers is cached (a verified login is trusted through an
    // outage for ldap.cache.seconds at most).
    String olga = TestServer.basic("olga", "olga-password");
    slapd.stop();
    try {
      assertEquals(207, s.send(lou, "PROPFIND", "/", null, "Depth", "0").statusCode());
      HttpResponse<byte[]> r = s.send(olga, "PROPFIND", "/", null, "Depth", "0");
      assertEquals(503, r.statusCode(), "not 401: the client should retry, not ask for a password");
      assertTrue(r.headers().firstValue("Retry-After").isPresent());
      assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty());
    } finally {
      slapd.startAgain();
    }
    assertEquals(207, s.send(olga, "PROPFIND", "/", null, "Depth", "0").statusCode());
  }

  @Test
  void leavingTheAdminGroupTakesEffectAfterTheCachePeriod() throws Exception {
    String max = TestServer.basic("max", "max-password");
    assertEquals(200, admin(max, "GET", "users").statusCode());
    modifyGroup("cairn-admins", DirContext.REMOVE_ATTRIBUTE, "max");
    try {
      Thread.sleep(CACHE_SECONDS * 1000L + 500);
      assertEquals(403, admin(max, "GET", "users").statusCode());
      assertFalse(s.server.accounts().user("max").admin());
      modifyGroup("team", DirContext.ADD_ATTRIBUTE, "max");
      Thread.sleep(CACHE_SECONDS * 1000L + 500);
      assertTrue(text(s.send(max, "PROPFIND", "/", null, "Depth", "1")).contains("/team/"), "a new grant group too");
    } finally {
      modifyGroup("cairn-admins", DirContext.ADD_ATTRIBUTE, "max");
    }
  }

  @Test
  void ldapKeysAreCheckedAtStart() {
    Map<String, String> base = Map.of("ldap.url", "ldap://127.0.0.1:1", "ldap.user.base", PEOPLE);
    assertNotNull(ServerConfig.load(null, Map.of(), base).ldap());
    assertNull(ServerConfig.load(null, Map.of(), Map.of()).ldap());
    assertThrows(ServerConfig.InvalidConfig.class, () -> load(Map.of("ldap.url", "ldap://127.0.0.1:1")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> load(Map.of("ldap.user.base", PEOPLE)), "no url");
    assertThrows(ServerConfig.InvalidConfig.class, () -> load(with(base, "ldap.url", "http://x")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> load(with(base, "ldap.url", "ldap://bad host")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> load(with(base, "ldap.user.base", "not a dn")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> load(with(base, "ldap.bind.dn", SERVICE_DN)), "no password");
    assertThrows(ServerConfig.InvalidConfig.class, () -> load(with(base, "ldap.grants", "team=cn=team:admin")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> load(with(base, "ldap.user.filter", "uid={0}")));
    LdapSettings l = load(with(with(base, "ldap.group.base", GROUPS), "ldap.grants", "a=cn=x," + GROUPS + ":read;b=cn=y,"
        + GROUPS + ":write")).ldap();
    assertEquals(2, l.grants().size());
    assertEquals("(uid={0})", l.userFilter());
    assertFalse(l.toString().contains("secret"));
  }

  static ServerConfig load(Map<String, String> values) {
    return ServerConfig.load(null, Map.of(), values);
  }

  static Map<String, String> with(Map<String, String> m, String k, String v) {
    Map<String, String> c = new HashMap<>(m);
    c.put(k, v);
    return c;
  }

  static LdapSettings settings() {
    return ServerConfig.load(null, Map.of(), serverConfig()).ldap();
  }

  static void modifyGroup(String cn, int op, String uid) throws Exception {
    Hashtable<String, Object> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
    env.put(Context.PROVIDER_URL, slapd.url());
    env.put(Context.SECURITY_PRINCIPAL, Slapd.ROOT_DN);
    env.put(Context.SECURITY_CREDENTIALS, Slapd.ROOT_PASSWORD);
    DirContext ctx = new InitialDirContext(env);
    try {
      ctx.modifyAttributes("cn=" + cn + "," + GROUPS,
          new ModificationItem[] {new ModificationItem(op, new BasicAttribute("member", "uid=" + uid + "," + PEOPLE))});
    } finally {
      ctx.close();
    }
  }
}
