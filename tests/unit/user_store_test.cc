// UserStore: users, verifiers, grants and their levels, the visitors.
#include "auth/user_store.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace lyt::auth {
namespace {

// RFC 7677's verifier (password "pencil").
const char* kRfcVerifier =
    "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";

void ExpectState(const Status& status, const std::string& sqlstate) {
  EXPECT_EQ(status.sqlstate(), sqlstate) << status.ToString();
}

TEST(UserStore, CreatesUsersWithVerifiersOnly) {
  UserStore store;
  ASSERT_TRUE(store.CreateUser("alice", "secret", false).ok());
  std::optional<ScramVerifier> verifier = store.Verifier("alice");
  ASSERT_TRUE(verifier.has_value());
  ScramVerifier check;
  ASSERT_TRUE(ScramVerifier::FromPassword("secret", verifier->salt, verifier->iterations, &check).ok());
  EXPECT_EQ(check, *verifier);
  EXPECT_EQ(verifier->ToString().find("secret"), std::string::npos);
  EXPECT_FALSE(store.Verifier("bob").has_value());
  EXPECT_TRUE(store.Exists("alice"));
  EXPECT_FALSE(store.IsSuperuser("alice"));
  EXPECT_FALSE(store.IsSuperuser("bob"));
}

TEST(UserStore, StoresAVerifierAsGiven) {
  UserStore store;
  ASSERT_TRUE(store.CreateUser("alice", kRfcVerifier, false).ok());
  EXPECT_EQ(store.Verifier("alice")->ToString(), kRfcVerifier);
  Status bad = store.CreateUser("bob", "SCRAM-SHA-256$4096:nonsense", false);
  ExpectState(bad, "22023");
  EXPECT_EQ(bad.message().find("nonsense"), std::string::npos);
}

TEST(UserStore, RejectsBadInput) {
  UserStore store;
  ExpectState(store.CreateUser("", "pw", false), "22023");
  ExpectState(store.CreateUser("alice", "", false), "22023");
  ExpectState(store.CreateUser("alice", std::string("a\0b", 3), false), "22023");
  ASSERT_TRUE(store.CreateUser("alice", "pw", false).ok());
  ExpectState(store.CreateUser("alice", "pw", true), "42710");
  ExpectState(store.SetPassword("alice", ""), "22023");
  ExpectState(store.SetPassword("nobody", "pw"), "42704");
  ExpectState(store.SetSuperuser("nobody", true), "42704");
  ExpectState(store.DropUser("nobody"), "42704");
  ExpectState(store.Grant("nobody", "main", Privilege::Read), "42704");
  ExpectState(store.Grant("alice", "main", Privilege::None), "22023");
  ExpectState(store.Revoke("nobody", "main", Privilege::Read), "42704");
}

TEST(UserStore, SuperusersHoldEverything) {
  UserStore store;
  ASSERT_TRUE(store.CreateUser("root", "pw", true).ok());
  EXPECT_TRUE(store.IsSuperuser("root"));
  EXPECT_EQ(store.PrivilegeOn("root", "anything"), Privilege::Admin);
  ASSERT_TRUE(store.SetSuperuser("root", false).ok());
  EXPECT_EQ(store.PrivilegeOn("root", "anything"), Privilege::None);
}

TEST(UserStore, GrantRaisesAndRevokeLowers) {
  UserStore store;
  ASSERT_TRUE(store.CreateUser("alice", "pw", false).ok());
  EXPECT_EQ(store.PrivilegeOn("alice", "main"), Privilege::None);
  ASSERT_TRUE(store.Grant("alice", "main", Privilege::Write).ok());
  EXPECT_EQ(store.PrivilegeOn("alice", "main"), Privilege::Write);
  ASSERT_TRUE(store.Grant("alice", "main", Privilege::Read).ok());  // already included
  EXPECT_EQ(store.PrivilegeOn("alice", "main"), Privilege::Write);
  ASSERT_TRUE(store.Revoke("alice", "main", Privilege::Admin).ok());  // not held: no change
  EXPECT_EQ(store.PrivilegeOn("alice", "main"), Privilege::Write);
  ASSERT_TRUE(store.Grant("alice", "main", Privilege::Admin).ok());
  ASSERT_TRUE(store.Revoke("alice", "main", Privilege::Write).ok());  // Write and Admin go
  EXPECT_EQ(store.PrivilegeOn("alice", "main"), Privilege::Read);
  ASSERT_TRUE(store.Revoke("alice", "main", Privilege::Read).ok());
  EXPECT_EQ(store.PrivilegeOn("alice", "main"), Privilege::None);
  int grants = 0;
  store.ForEachGrant([&](const GrantRecord&) { ++grants; });
  EXPECT_EQ(grants, 0);  // no None entries are kept
  EXPECT_EQ(store.PrivilegeOn("alice", "other"), Privilege::None);
  EXPECT_EQ(store.PrivilegeOn("nobody", "main"), Privilege::None);
}

TEST(UserStore, RenameMovesGrantsDropForgetsThem) {
  UserStore store;
  ASSERT_TRUE(store.CreateUser("alice", "pw", false).ok());
  ASSERT_TRUE(store.CreateUser("bob", "pw", false).ok());
  ASSERT_TRUE(store.Grant("alice", "main", Privilege::Write).ok());
  ASSERT_TRUE(store.Grant("alice", "d2", Privilege::Read).ok());
  ASSERT_TRUE(store.Grant("bob", "d2", Privilege::Admin).ok());
  ExpectState(store.RenameUser("alice", "bob"), "42710");
  ExpectState(store.RenameUser("alice", ""), "22023");
  ExpectState(store.RenameUser("nobody", "x"), "42704");
  ASSERT_TRUE(store.RenameUser("alice", "carol").ok());
  EXPECT_FALSE(store.Exists("alice"));
  EXPECT_EQ(store.PrivilegeOn("carol", "main"), Privilege::Write);
  EXPECT_EQ(store.PrivilegeOn("carol", "d2"), Privilege::Read);
  EXPECT_EQ(store.PrivilegeOn("alice", "main"), Privilege::None);

  store.DropDatabase("d2");
  EXPECT_EQ(store.PrivilegeOn("carol", "d2"), Privilege::None);
  EXPECT_EQ(store.PrivilegeOn("bob", "d2"), Privilege::None);
  ASSERT_TRUE(store.DropUser("carol").ok());
  ASSERT_TRUE(store.CreateUser("carol", "pw", false).ok());  // a new carol starts without grants
  EXPECT_EQ(store.PrivilegeOn("carol", "main"), Privilege::None);
}

TEST(UserStore, VisitorsSeeEverythingInOrder) {
  UserStore store;
  ASSERT_TRUE(store.CreateUser("bob", "pw", true).ok());
  ASSERT_TRUE(store.CreateUser("alice", kRfcVerifier, false).ok());
  ASSERT_TRUE(store.Grant("alice", "main", Privilege::Read).ok());
  ASSERT_TRUE(store.Grant("alice", "d2", Privilege::Admin).ok());
  std::vector<std::string> users;
  store.ForEachUser([&](const UserRecord& u) {
    users.push_back(u.name + (u.superuser ? "*" : ""));
    EXPECT_EQ(u.verifier, *store.Verifier(u.name));  // visitors may call back into the store
  });
  EXPECT_EQ(users, (std::vector<std::string>{"alice", "bob*"}));
  std::vector<std::string> grants;
  store.ForEachGrant([&](const GrantRecord& g) { grants.push_back(g.user + "/" + g.database + "/" + PrivilegeName(g.privilege)); });
  EXPECT_EQ(grants, (std::vector<std::string>{"alice/d2/ADMIN", "alice/main/READ"}));

  // What the visitors give is enough to rebuild the store.
  UserStore copy;
  store.ForEachUser([&](const UserRecord& u) { ASSERT_TRUE(copy.CreateUserWithVerifier(u.name, u.verifier, u.superuser).ok()); });
  store.ForEachGrant([&](const GrantRecord& g) { ASSERT_TRUE(copy.Grant(g.user, g.database, g.privilege).ok()); });
  EXPECT_EQ(copy.Verifier("alice")->ToString(), kRfcVerifier);
  EXPECT_EQ(copy.PrivilegeOn("alice", "d2"), Privilege::Admin);
  EXPECT_TRUE(copy.IsSuperuser("bob"));
}

TEST(UserStore, PrivilegeNames) {
  EXPECT_EQ(PrivilegeFromName("read"), Privilege::Read);
  EXPECT_EQ(PrivilegeFromName("Write"), Privilege::Write);
  EXPECT_EQ(PrivilegeFromName("ADMIN"), Privilege::Admin);
  EXPECT_EQ(PrivilegeFromName("all"), std::nullopt);
  EXPECT_STREQ(PrivilegeName(Privilege::None), "NONE");
  EXPECT_LT(Privilege::Read, Privilege::Write);
  EXPECT_LT(Privilege::Write, Privilege::Admin);
}

TEST(UserStore, ConcurrentReadersAndWriters) {
  UserStore store;
  ASSERT_TRUE(store.CreateUser("alice", kRfcVerifier, false).ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      std::string db = "db" + std::to_string(t);
      for (int i = 0; i < 500; ++i) {
        ASSERT_TRUE(store.Grant("alice", db, Privilege::Write).ok());
        EXPECT_GE(store.PrivilegeOn("alice", db), Privilege::Write);
        ASSERT_TRUE(store.Revoke("alice", db, Privilege::Read).ok());
        EXPECT_TRUE(store.Verifier("alice").has_value());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  int grants = 0;
  store.ForEachGrant([&](const GrantRecord&) { ++grants; });
  EXPECT_EQ(grants, 0);
}

}  // namespace
}  // namespace lyt::auth
