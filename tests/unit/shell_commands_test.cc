// Unit tests for the lyt shell's backslash command table, identifier arguments, tab completion
// candidates and the expanded (\x) output format. They use the shell's header-only files.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "../../tools/lyt/completion.h"
#include "../../tools/lyt/meta_command.h"
#include "../../tools/lyt/output_format.h"

namespace lyt::shell {
namespace {

TEST(MetaCommandTable, EveryKindAndName) {
  EXPECT_EQ(ParseMetaCommand("\\dt").kind, MetaCommandKind::kListTables);
  EXPECT_EQ(ParseMetaCommand("\\du").kind, MetaCommandKind::kListUsers);
  EXPECT_EQ(ParseMetaCommand("\\conninfo").kind, MetaCommandKind::kConnInfo);
  EXPECT_EQ(ParseMetaCommand("\\i f.sql").kind, MetaCommandKind::kInclude);
  EXPECT_EQ(ParseMetaCommand("\\include f.sql").kind, MetaCommandKind::kInclude);
  EXPECT_EQ(ParseMetaCommand("\\x on").kind, MetaCommandKind::kExpanded);
  EXPECT_EQ(ParseMetaCommand("\\quit").kind, MetaCommandKind::kQuit);
  EXPECT_EQ(ParseMetaCommand("\\dx").kind, MetaCommandKind::kUnknown);
  // Every name in the table is recognised as its own kind, and help lists it.
  std::string help = MetaCommandHelp();
  for (const MetaCommandSpec& spec : MetaCommandSpecs()) {
    for (std::string_view name : spec.names) {
      EXPECT_EQ(ParseMetaCommand(name).kind, spec.kind) << name;
      EXPECT_NE(help.find(std::string(name)), std::string::npos) << name;
    }
  }
}

TEST(MetaCommandTable, HelpLinesAlign) {
  // Each description starts in column 25: after its command, or on a line of its own below a
  // command too long to leave room.
  std::istringstream help(MetaCommandHelp());
  std::vector<std::string> lines;
  for (std::string line; std::getline(help, line);) lines.push_back(line);
  const std::string indent(24, ' ');
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    ASSERT_GT(line.size(), 24u) << line;
    if (line.starts_with(indent)) {
      EXPECT_NE(line[24], ' ') << line;
      continue;
    }
    EXPECT_TRUE(line.starts_with("  \\")) << line;
    bool described_here = line[23] == ' ' && line[24] != ' ';
    bool described_below = i + 1 < lines.size() && lines[i + 1].starts_with(indent);
    EXPECT_TRUE(described_here || described_below) << line;
  }
}

TEST(IdentifierArgument, FoldsUnlessQuoted) {
  EXPECT_EQ(IdentifierFromArgument("Sales"), "sales");
  EXPECT_EQ(IdentifierFromArgument("\"Sales\""), "Sales");
  EXPECT_EQ(IdentifierFromArgument("\"a \"\"b\"\"\""), "a \"b\"");
  EXPECT_EQ(IdentifierFromArgument("\""), "\"");
}

TEST(Completion, KeywordsInTheTypedCase) {
  EXPECT_EQ(CompletionCandidates("SEL", {}), std::vector<std::string>{"SELECT"});
  EXPECT_EQ(CompletionCandidates("sel", {}), std::vector<std::string>{"select"});
  EXPECT_EQ(CompletionCandidates("Sel", {}), std::vector<std::string>{"SELECT"});
  EXPECT_EQ(CompletionCandidates("TABLE", {}), (std::vector<std::string>{"TABLE", "TABLES"}));
  EXPECT_TRUE(CompletionCandidates("zzz", {}).empty());
}

TEST(Completion, TableNamesAndNoKeywordFlood) {
  std::vector<std::string> tables = {"orders", "order_items", "Users"};
  EXPECT_EQ(CompletionCandidates("ord", tables),
            (std::vector<std::string>{"order", "order_items", "orders"}));
  EXPECT_EQ(CompletionCandidates("us", tables),
            (std::vector<std::string>{"Users", "use", "user", "users", "using"}));
  EXPECT_EQ(CompletionCandidates("", tables), (std::vector<std::string>{"Users", "order_items", "orders"}));
}

TEST(Completion, BackslashCommands) {
  EXPECT_EQ(CompletionCandidates("\\con", {"conx"}),
            (std::vector<std::string>{"\\connect", "\\conninfo"}));
  EXPECT_EQ(CompletionCandidates("\\d", {}), (std::vector<std::string>{"\\d", "\\dt", "\\du"}));
}

std::string RenderExpanded(const std::vector<ColumnInfo>& columns, const std::vector<std::vector<Cell>>& rows) {
  std::ostringstream out;
  std::unique_ptr<ResultWriter> writer = MakeResultWriter(OutputFormat::kTable, out, /*expanded=*/true);
  writer->Begin(columns);
  for (const auto& row : rows) writer->Row(row);
  writer->End();
  return out.str();
}

TEST(ExpandedFormat, RecordRuleLikePsql) {
  // Short names: the label covers both columns.
  EXPECT_EQ(detail::RecordRule(1, 2, 5), "-[ RECORD 1 ]");
  // Long names: dashes to the name width, then "-+-" and the value width.
  EXPECT_EQ(detail::RecordRule(1, 17, 5), "-[ RECORD 1 ]-----+------");
  EXPECT_EQ(detail::RecordRule(1, 12, 5), "-[ RECORD 1 ]+------");
  EXPECT_EQ(detail::RecordRule(10, 2, 20), "-[ RECORD 10 ]-----------");
}

TEST(ExpandedFormat, BlocksPerRow) {
  std::vector<ColumnInfo> columns = {{"id", LogicalType(TypeId::Integer)},
                                     {"customer_name", LogicalType(TypeId::Varchar)}};
  EXPECT_EQ(RenderExpanded(columns, {{{false, "1"}, {false, "alice"}}, {{false, "22"}, {true, ""}}}),
            "-[ RECORD 1 ]-+------\n"
            "id            | 1\n"
            "customer_name | alice\n"
            "-[ RECORD 2 ]-+------\n"
            "id            | 22\n"
            "customer_name |\n"
            "\n");
}

TEST(ExpandedFormat, MultiLineValuesAndNoRows) {
  std::vector<ColumnInfo> columns = {{"x", LogicalType(TypeId::Varchar)}};
  EXPECT_EQ(RenderExpanded(columns, {{{false, "ab\nc"}}}),
            "-[ RECORD 1 ]\n"
            "x | ab+\n"
            "  | c\n"
            "\n");
  EXPECT_EQ(RenderExpanded(columns, {}), "(0 rows)\n\n");
}

TEST(ExpandedFormat, OnlyForTables) {
  std::ostringstream out;
  std::unique_ptr<ResultWriter> writer = MakeResultWriter(OutputFormat::kCsv, out, /*expanded=*/true);
  writer->Begin({{"a", LogicalType(TypeId::Integer)}});
  writer->Row({{false, "1"}});
  writer->End();
  EXPECT_EQ(out.str(), "a\n1\n");
}

}  // namespace
}  // namespace lyt::shell
