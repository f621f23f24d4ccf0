// Unit tests for lyt-slt's pure parts: the sqllogictest parser, value formatting, sorting,
// result matching and the command line. They use lyt-slt's header-only files directly.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "../../tools/lyt-slt/failure_report.h"
#include "../../tools/lyt-slt/result_formatter.h"
#include "../../tools/lyt-slt/slt_options.h"
#include "../../tools/lyt-slt/slt_parser.h"

namespace lyt::slt {
namespace {

using Lines = std::vector<std::string>;

TEST(SltParser, StatementsAndQueries) {
  std::vector<Record> records = ParseSlt(
      "# a comment\n"
      "statement ok\n"
      "CREATE TABLE t1(a INTEGER,\n"
      "  b INTEGER)\n"
      "\n"
      "query II rowsort label-7\n"
      "SELECT a, b\n"
      "FROM t1\n"
      "----\n"
      "1\n"
      "2\n"
      "\n"
      "query T\n"
      "SELECT 'x'\n"
      "----\n"
      "x\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].kind, RecordKind::kStatement);
  EXPECT_EQ(records[0].line, 2);
  EXPECT_FALSE(records[0].expect_error);
  EXPECT_EQ(records[0].sql, "CREATE TABLE t1(a INTEGER,\n  b INTEGER)");
  EXPECT_EQ(records[1].kind, RecordKind::kQuery);
  EXPECT_EQ(records[1].line, 6);
  EXPECT_EQ(records[1].column_types, "II");
  EXPECT_EQ(records[1].sort_mode, SortMode::kRowSort);
  EXPECT_EQ(records[1].label, "label-7");
  EXPECT_EQ(records[1].sql, "SELECT a, b\nFROM t1");
  EXPECT_EQ(records[1].expected, (Lines{"1", "2"}));
  EXPECT_EQ(records[2].sort_mode, SortMode::kNoSort);
  EXPECT_EQ(records[2].label, "");
  EXPECT_EQ(records[2].expected, (Lines{"x"}));
}

TEST(SltParser, CrlfLineEnds) {
  std::vector<Record> records =
      ParseSlt("hash-threshold 8\r\n\r\nquery I valuesort\r\nSELECT 1\r\n----\r\n1\r\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].kind, RecordKind::kHashThreshold);
  EXPECT_EQ(records[0].threshold, 8);
  EXPECT_EQ(records[1].sort_mode, SortMode::kValueSort);
  EXPECT_EQ(records[1].sql, "SELECT 1");
  EXPECT_EQ(records[1].expected, (Lines{"1"}));
}

TEST(SltParser, ConditionsApplyToTheNextRecordOnly) {
  std::vector<Record> records = ParseSlt(
      "skipif mysql # not compatible\n"
      "onlyif lytdb\n"
      "statement ok\n"
      "SELECT 1\n"
      "\n"
      "statement ok\n"
      "SELECT 2\n"
      "\n"
      "onlyif mssql\n"
      "halt\n");
  ASSERT_EQ(records.size(), 3u);
  ASSERT_EQ(records[0].conditions.size(), 2u);
  EXPECT_FALSE(records[0].conditions[0].only_if);
  EXPECT_EQ(records[0].conditions[0].engine, "mysql");
  EXPECT_TRUE(records[0].conditions[1].only_if);
  EXPECT_EQ(records[0].conditions[1].engine, "lytdb");
  EXPECT_TRUE(records[1].conditions.empty());
  EXPECT_EQ(records[2].kind, RecordKind::kHalt);
  ASSERT_EQ(records[2].conditions.size(), 1u);
  EXPECT_EQ(records[2].conditions[0].engine, "mssql");
}

TEST(SltParser, StatementErrorMessages) {
  std::vector<Record> records = ParseSlt(
      "statement error\n"
      "SELECT x\n"
      "\n"
      "statement error no such column: x # kept verbatim\n"
      "SELECT x\n"
      "\n"
      "statement error\n"
      "SELECT y\n"
      "----\n"
      "Binder Error: y\n"
      "\n"
      "statement error # just a comment\n"
      "SELECT z\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_TRUE(records[0].expect_error);
  EXPECT_EQ(records[0].expected_error, "");
  EXPECT_EQ(records[1].expected_error, "no such column: x # kept verbatim");
  EXPECT_EQ(records[2].sql, "SELECT y");
  EXPECT_EQ(records[2].expected_error, "Binder Error: y");
  EXPECT_EQ(records[3].expected_error, "");
}

TEST(SltParser, QueryWithEmptyResultAndAtEndOfFile) {
  std::vector<Record> records =
      ParseSlt("query I nosort\nSELECT 1 WHERE 0\n----\n\nquery I\nSELECT 2");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].has_results);
  EXPECT_TRUE(records[0].expected.empty());
  EXPECT_EQ(records[1].sql, "SELECT 2");
  EXPECT_FALSE(records[1].has_results);  // no `----`: only success is checked
  EXPECT_TRUE(records[1].expected.empty());
}

TEST(SltParser, LoopsRequireAndInvalidRecords) {
  std::vector<Record> records = ParseSlt(
      "loop i 0 3\n"
      "\n"
      "statement ok\n"
      "SELECT ${i}\n"
      "\n"
      "endloop\n"
      "\n"
      "frobnicate now\n"
      "SELECT 1\n"
      "\n"
      "query I sideways\n"
      "SELECT 1\n"
      "\n"
      "require json\n");
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[0].kind, RecordKind::kLoop);
  EXPECT_EQ(records[0].loop_variable, "i");
  EXPECT_EQ(records[0].loop_begin, 0);
  EXPECT_EQ(records[0].loop_end, 3);
  EXPECT_EQ(records[1].kind, RecordKind::kStatement);
  EXPECT_EQ(records[2].kind, RecordKind::kEndLoop);
  EXPECT_EQ(records[3].kind, RecordKind::kInvalid);
  EXPECT_EQ(records[3].line, 8);
  EXPECT_NE(records[3].error.find("frobnicate"), std::string::npos);
  EXPECT_EQ(records[4].kind, RecordKind::kInvalid);
  EXPECT_NE(records[4].error.find("sideways"), std::string::npos);
  EXPECT_EQ(records[5].kind, RecordKind::kRequire);
  EXPECT_EQ(records[5].requirement, "json");
}

TEST(FormatValue, NullIsNullForEveryType) {
  for (char letter : {'I', 'R', 'T'}) {
    EXPECT_EQ(FormatValue(Value(), letter), "NULL");
    EXPECT_EQ(FormatValue(Value::Null(TypeId::Integer), letter), "NULL");
  }
}

TEST(FormatValue, Integers) {
  EXPECT_EQ(FormatValue(Value::Integer(-42), 'I'), "-42");
  EXPECT_EQ(FormatValue(Value::BigInt(std::numeric_limits<int64_t>::min()), 'I'),
            "-9223372036854775808");
  EXPECT_EQ(FormatValue(Value::Double(2.9), 'I'), "2");
  EXPECT_EQ(FormatValue(Value::Double(-2.9), 'I'), "-2");
  EXPECT_EQ(FormatValue(Value::Double(1e300), 'I'), "9223372036854775807");
  EXPECT_EQ(FormatValue(Value::Double(std::nan("")), 'I'), "0");
  EXPECT_EQ(FormatValue(Value::Boolean(true), 'I'), "1");
  EXPECT_EQ(FormatValue(Value::Boolean(false), 'I'), "0");
  EXPECT_EQ(FormatValue(Value::Varchar("12abc"), 'I'), "12");
  EXPECT_EQ(FormatValue(Value::Varchar("abc"), 'I'), "0");
  EXPECT_EQ(FormatValue(Value::Varchar(" -7.9"), 'I'), "-7");
  EXPECT_EQ(FormatValue(Value::Varchar("99999999999999999999"), 'I'), "9223372036854775807");
}

TEST(FormatValue, Reals) {
  EXPECT_EQ(FormatValue(Value::Double(1.25), 'R'), "1.250");
  EXPECT_EQ(FormatValue(Value::Double(-0.0005), 'R'), "-0.001");
  EXPECT_EQ(FormatValue(Value::Integer(3), 'R'), "3.000");
  EXPECT_EQ(FormatValue(Value::Varchar("2.5x"), 'R'), "2.500");
  EXPECT_EQ(FormatValue(Value::Varchar("x"), 'R'), "0.000");
  // SQLite prints at most 16 significant digits; the reference files follow it.
  EXPECT_EQ(FormatValue(Value::Double(-9223372036854775808.0), 'R'), "-9223372036854776000.000");
  EXPECT_EQ(FormatValue(Value::Double(-18446744073709551616.0), 'R'),
            "-18446744073709550000.000");
  EXPECT_EQ(FormatValue(Value::Double(12345678901234.567), 'R'), "12345678901234.570");
  EXPECT_EQ(FormatValue(Value::Double(1234567890123.4567), 'R'), "1234567890123.457");
}

TEST(FormatValue, Text) {
  EXPECT_EQ(FormatValue(Value::Varchar("hello world"), 'T'), "hello world");
  EXPECT_EQ(FormatValue(Value::Varchar(""), 'T'), "(empty)");
  EXPECT_EQ(FormatValue(Value::Varchar("a\tb\nc\x7f\xc3\xa9"), 'T'), "a@b@c@@@");
  EXPECT_EQ(FormatValue(Value::Integer(5), 'T'), "5");
  EXPECT_EQ(FormatValue(Value::Boolean(true), 'T'), "true");
}

ResultTable Table(size_t columns, Lines values) { return ResultTable{columns, std::move(values)}; }

TEST(SortResult, RowSortComparesRowsCellByCell) {
  ResultTable table = Table(2, {"b", "1", "a", "2", "b", "0", "10", "x"});
  SortResult(SortMode::kRowSort, &table);
  EXPECT_EQ(table.values, (Lines{"10", "x", "a", "2", "b", "0", "b", "1"}));
}

TEST(SortResult, ValueSortAndNoSort) {
  ResultTable table = Table(2, {"b", "1", "a", "2"});
  SortResult(SortMode::kNoSort, &table);
  EXPECT_EQ(table.values, (Lines{"b", "1", "a", "2"}));
  SortResult(SortMode::kValueSort, &table);
  EXPECT_EQ(table.values, (Lines{"1", "2", "a", "b"}));
}

TEST(Matching, ValuePerLineAndRowPerLine) {
  ResultTable table = Table(2, {"1", "a b", "2", "(empty)"});
  EXPECT_TRUE(MatchesExpected(table, {"1", "a b", "2", "(empty)"}));
  EXPECT_TRUE(MatchesExpected(table, {"1\ta b", "2\t(empty)"}));
  EXPECT_TRUE(MatchesExpected(table, {"1 a b", "2 (empty)"}));
  EXPECT_FALSE(MatchesExpected(table, {"1", "a b", "2"}));
  EXPECT_FALSE(MatchesExpected(table, {"1\ta", "2\t(empty)"}));
  EXPECT_FALSE(MatchesExpected(table, {"1\ta b\t", "2\t(empty)"}));
  EXPECT_TRUE(MatchesExpected(Table(1, {}), {}));
  EXPECT_FALSE(MatchesExpected(Table(1, {"1"}), {}));
}

TEST(Matching, ReportLayoutFollowsTheExpectedLines) {
  ResultTable table = Table(2, {"1", "x", "2", "y"});
  EXPECT_TRUE(ExpectsRowLayout(table, {"1\tx", "3\ty"}));
  EXPECT_FALSE(ExpectsRowLayout(table, {"1", "x", "3", "y"}));
  EXPECT_EQ(ResultLines(table, true), (Lines{"1\tx", "2\ty"}));
  EXPECT_EQ(ResultLines(table, false), table.values);
  EXPECT_EQ(FirstDifference({"1", "2"}, {"1", "3"}), 1u);
  EXPECT_EQ(FirstDifference({"1"}, {"1", "3"}), 1u);
}

TEST(Matching, HashLines) {
  ExpectedHash hash;
  ASSERT_TRUE(ParseHashLine("30 values hashing to 3C13DEE48D9356AE19AF2515E05E6B54", &hash));
  EXPECT_EQ(hash.count, 30u);
  EXPECT_EQ(hash.md5, "3c13dee48d9356ae19af2515e05e6b54");
  EXPECT_FALSE(ParseHashLine("30 values hashing to 3c13", &hash));
  EXPECT_FALSE(ParseHashLine("x values hashing to 3c13dee48d9356ae19af2515e05e6b54", &hash));
  EXPECT_FALSE(ParseHashLine("30 rows hashing to 3c13dee48d9356ae19af2515e05e6b54", &hash));
  EXPECT_TRUE(IsHashedExpectation({"1 values hashing to 3c13dee48d9356ae19af2515e05e6b54"}, &hash));
  EXPECT_FALSE(IsHashedExpectation({"1", "2"}, &hash));
}

TEST(FailureReport, CollapseSqlAndSubstitute) {
  EXPECT_EQ(CollapseSql("  SELECT a,\n\t b\n FROM t  "), "SELECT a, b FROM t");
  EXPECT_EQ(CollapseSql(std::string(300, 'x'), 10), "xxxxxxxxxx...");
  EXPECT_EQ(Substitute("SELECT ${i} + ${i}, ${j}", "i", "42"), "SELECT 42 + 42, ${j}");
  EXPECT_EQ(Substitute("${i}", "i", "${i}"), "${i}");
  EXPECT_EQ(IndentedLines({"a", "b", "c"}, "  ", 2), "  a\n  b\n  ... (1 more)\n");
}

CommandLine ParseArgs(std::vector<std::string_view> args) { return ParseCommandLine(args); }

TEST(SltCommandLine, LabelsAndFiles) {
  CommandLine line = ParseArgs({"a.test", "--label", "sqlite", "--label=x", "-v", "b.test"});
  EXPECT_EQ(line.error, "");
  EXPECT_EQ(line.files, (Lines{"a.test", "b.test"}));
  EXPECT_EQ(line.options.labels, (Lines{"sqlite", "x"}));
  EXPECT_TRUE(line.options.verbose);
  EXPECT_FALSE(line.options.stop_on_fail);
  EXPECT_EQ(ParseArgs({"f"}).options.labels, (Lines{"lytdb"}));
}

TEST(SltCommandLine, UsageErrors) {
  EXPECT_NE(ParseArgs({}).error, "");
  EXPECT_NE(ParseArgs({"--label"}).error, "");
  EXPECT_NE(ParseArgs({"--what", "f"}).error, "");
  EXPECT_EQ(ParseArgs({"--help"}).error, "");
  EXPECT_TRUE(ParseArgs({"--help"}).help);
}

}  // namespace
}  // namespace lyt::slt
