// Unit tests for the lyt shell's pure parts: output formats, error carets, backslash commands,
// command-line parsing. They use the shell's header-only files directly.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "../../tools/lyt/error_report.h"
#include "../../tools/lyt/meta_command.h"
#include "../../tools/lyt/output_format.h"
#include "../../tools/lyt/shell_options.h"
#include "../../tools/lyt/text_width.h"

namespace lyt::shell {
namespace {

Cell C(std::string text) { return Cell{false, std::move(text)}; }
Cell Null() { return Cell{true, ""}; }

std::vector<ColumnInfo> Columns() {
  return {{"id", LogicalType(TypeId::Integer)},
          {"name", LogicalType(TypeId::Varchar)},
          {"score", LogicalType(TypeId::Double)}};
}

std::string Render(OutputFormat format, const std::vector<ColumnInfo>& columns,
                   const std::vector<std::vector<Cell>>& rows) {
  std::ostringstream out;
  std::unique_ptr<ResultWriter> writer = MakeResultWriter(format, out);
  writer->Begin(columns);
  for (const auto& row : rows) writer->Row(row);
  writer->End();
  return out.str();
}

TEST(TableFormat, AlignsLikePsql) {
  std::string text = Render(OutputFormat::kTable, Columns(),
                            {{C("1"), C("alice"), C("9.5")}, {C("22"), Null(), Null()}});
  EXPECT_EQ(text,
            " id | name  | score\n"
            "----+-------+-------\n"
            "  1 | alice |   9.5\n"
            " 22 |       |\n"
            "(2 rows)\n"
            "\n");
}

TEST(TableFormat, OneRowAndNoRows) {
  std::vector<ColumnInfo> columns = {{"x", LogicalType(TypeId::BigInt)}};
  EXPECT_EQ(Render(OutputFormat::kTable, columns, {{C("7")}}), " x\n---\n 7\n(1 row)\n\n");
  EXPECT_EQ(Render(OutputFormat::kTable, columns, {}), " x\n---\n(0 rows)\n\n");
}

TEST(TableFormat, CentresHeadersAndWidensForLongHeaders) {
  std::vector<ColumnInfo> columns = {{"a", LogicalType(TypeId::Varchar)},
                                     {"total", LogicalType(TypeId::Integer)}};
  EXPECT_EQ(Render(OutputFormat::kTable, columns, {{C("hello"), C("3")}}),
            "   a   | total\n"
            "-------+-------\n"
            " hello |     3\n"
            "(1 row)\n\n");
}

TEST(TableFormat, MultiLineCellsMarkContinuation) {
  std::vector<ColumnInfo> columns = {{"t", LogicalType(TypeId::Varchar)},
                                     {"n", LogicalType(TypeId::Integer)}};
  EXPECT_EQ(Render(OutputFormat::kTable, columns, {{C("ab\nc"), C("1")}}),
            " t  | n\n"
            "----+---\n"
            " ab+| 1\n"
            " c  |\n"
            "(1 row)\n\n");
}

TEST(TableFormat, CountsCharactersNotBytes) {
  std::vector<ColumnInfo> columns = {{"w", LogicalType(TypeId::Varchar)}};
  EXPECT_EQ(Render(OutputFormat::kTable, columns, {{C("h\xc3\xa9llo")}, {C("ab")}}),
            "   w\n"
            "-------\n"
            " h\xc3\xa9llo\n"
            " ab\n"
            "(2 rows)\n\n");
}

TEST(TableFormat, CommandPrintsTag) {
  std::ostringstream out;
  TableWriter writer(out);
  writer.Command("INSERT 0 3");
  writer.Command("");
  EXPECT_EQ(out.str(), "INSERT 0 3\n");
}

TEST(CsvFormat, QuotesOnlyWhenNeededAndKeepsNullApartFromEmpty) {
  std::string text = Render(OutputFormat::kCsv, Columns(),
                            {{C("1"), C("a,b"), C("2.5")},
                             {C("2"), C("say \"hi\""), Null()},
                             {C("3"), C(""), C("x\ny")}});
  EXPECT_EQ(text,
            "id,name,score\n"
            "1,\"a,b\",2.5\n"
            "2,\"say \"\"hi\"\"\",\n"
            "3,\"\",\"x\ny\"\n");
}

TEST(CsvFormat, CommandsPrintNothing) {
  std::ostringstream out;
  CsvWriter writer(out);
  writer.Command("CREATE TABLE");
  EXPECT_EQ(out.str(), "");
}

TEST(JsonFormat, TypedValues) {
  std::vector<ColumnInfo> columns = {{"i", LogicalType(TypeId::BigInt)},
                                     {"d", LogicalType(TypeId::Double)},
                                     {"b", LogicalType(TypeId::Boolean)},
                                     {"s", LogicalType(TypeId::Varchar)},
                                     {"day", LogicalType(TypeId::Date)}};
  std::string text = Render(OutputFormat::kJson, columns,
                            {{C("-3"), C("1.5e+20"), C("true"), C("x"), C("2024-01-31")},
                             {Null(), C("NaN"), C("false"), C("q\"\\"), Null()},
                             {C("0"), C("-Infinity"), Null(), C("t\tn\nc\x01"), C("2024-02-01")}});
  EXPECT_EQ(text,
            "[{\"i\":-3,\"d\":1.5e+20,\"b\":true,\"s\":\"x\",\"day\":\"2024-01-31\"},\n"
            "{\"i\":null,\"d\":\"NaN\",\"b\":false,\"s\":\"q\\\"\\\\\",\"day\":null},\n"
            "{\"i\":0,\"d\":\"-Infinity\",\"b\":null,\"s\":\"t\\tn\\nc\\u0001\","
            "\"day\":\"2024-02-01\"}]\n");
}

TEST(JsonFormat, EmptyResultIsEmptyArray) {
  EXPECT_EQ(Render(OutputFormat::kJson, Columns(), {}), "[]\n");
}

TEST(JsonFormat, EscapesKeysAndReplacesInvalidUtf8) {
  std::vector<ColumnInfo> columns = {{"a\"b", LogicalType(TypeId::Varchar)}};
  EXPECT_EQ(Render(OutputFormat::kJson, columns, {{C("ok \xc3\xa9 bad \xff end")}}),
            "[{\"a\\\"b\":\"ok \xc3\xa9 bad \\ufffd end\"}]\n");
}

TEST(JsonFormat, NumberGrammar) {
  for (const char* good : {"0", "-0", "12", "1.5", "-1.25e-7", "1E9", "3e+2"}) {
    EXPECT_TRUE(IsJsonNumber(good)) << good;
  }
  for (const char* bad : {"", "-", "01", "1.", ".5", "1e", "+1", "NaN", "Infinity", "0x10", "1 "}) {
    EXPECT_FALSE(IsJsonNumber(bad)) << bad;
  }
}

TEST(OutputFormatNames, RoundTrip) {
  for (OutputFormat format : {OutputFormat::kTable, OutputFormat::kCsv, OutputFormat::kJson}) {
    OutputFormat parsed = OutputFormat::kTable;
    ASSERT_TRUE(ParseOutputFormat(OutputFormatName(format), &parsed));
    EXPECT_EQ(parsed, format);
  }
  OutputFormat unchanged = OutputFormat::kCsv;
  EXPECT_FALSE(ParseOutputFormat("xml", &unchanged));
  EXPECT_EQ(unchanged, OutputFormat::kCsv);
}

TEST(TextWidth, CodePointsAndWideCharacters) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("h\xc3\xa9"), 2u);         // é: two bytes, one column
  EXPECT_EQ(DisplayWidth("\xe4\xb8\xad"), 2u);      // 中: wide
  EXPECT_EQ(DisplayWidth("e\xcc\x81"), 1u);         // e + combining acute
  EXPECT_EQ(DisplayWidth("\xff\xfe"), 2u);          // invalid bytes count one each
  EXPECT_EQ(DisplayWidth(""), 0u);
}

TEST(ErrorReport, MessageOnlyWithoutPosition) {
  EXPECT_EQ(FormatError(Status::Error("22012", "division by zero"), "SELECT 1/0"),
            "ERROR:  22012: division by zero\n");
}

TEST(ErrorReport, CaretUnderColumn) {
  Status status = Status::Error("42601", "syntax error at or near \"FORM\"", 1, 10);
  EXPECT_EQ(FormatError(status, "SELECT * FORM t"),
            "ERROR:  42601: syntax error at or near \"FORM\"\n"
            "LINE 1: SELECT * FORM t\n"
            "                 ^\n");
}

TEST(ErrorReport, SecondLineTabsAndMultibyte) {
  Status status = Status::Error("42601", "bad", 2, 5);  // byte 5 of the line: "="
  EXPECT_EQ(FormatError(status, "SELECT\n\t\xc3\xa9 = x"),
            "ERROR:  42601: bad\n"
            "LINE 2: \t\xc3\xa9 = x\n"
            "        \t  ^\n");
}

TEST(ErrorReport, ColumnPastTheEndPointsAfterTheText) {
  Status status = Status::Error("42601", "syntax error at end of input", 1, 99);
  EXPECT_EQ(FormatError(status, "SELECT"),
            "ERROR:  42601: syntax error at end of input\n"
            "LINE 1: SELECT\n"
            "              ^\n");
}

TEST(ErrorReport, LongLinesAreCutAroundTheError) {
  std::string line = "SELECT " + std::string(100, 'a') + " FORM t" + std::string(100, 'b');
  size_t column = line.find("FORM") + 1;
  Status status = Status::Error("42601", "bad", 1, static_cast<int>(column));
  std::string report = FormatError(status, line);
  std::istringstream in(report);
  std::string first, shown, marker;
  std::getline(in, first);
  std::getline(in, shown);
  std::getline(in, marker);
  EXPECT_TRUE(shown.starts_with("LINE 1: ...")) << shown;
  EXPECT_TRUE(shown.ends_with("...")) << shown;
  EXPECT_LT(shown.size(), 100u);
  size_t caret = marker.find('^');
  ASSERT_NE(caret, std::string::npos);
  EXPECT_EQ(shown.substr(caret, 4), "FORM");
}

TEST(MetaCommands, Recognised) {
  EXPECT_TRUE(IsMetaCommand("\\q"));
  EXPECT_TRUE(IsMetaCommand("  \\d t"));
  EXPECT_FALSE(IsMetaCommand("SELECT '\\q'"));
  EXPECT_FALSE(IsMetaCommand(""));
  EXPECT_EQ(ParseMetaCommand("\\q").kind, MetaCommandKind::kQuit);
  EXPECT_EQ(ParseMetaCommand("\\?").kind, MetaCommandKind::kHelp);
  EXPECT_EQ(ParseMetaCommand("\\help").kind, MetaCommandKind::kHelp);
  EXPECT_EQ(ParseMetaCommand("\\l").kind, MetaCommandKind::kListDatabases);
  EXPECT_EQ(ParseMetaCommand("\\connect db").kind, MetaCommandKind::kConnect);
  EXPECT_EQ(ParseMetaCommand("\\d;").kind, MetaCommandKind::kDescribe);
  EXPECT_EQ(ParseMetaCommand("\\frob").kind, MetaCommandKind::kUnknown);
  EXPECT_EQ(ParseMetaCommand("\\frob").name, "\\frob");
}

TEST(MetaCommands, Arguments) {
  MetaCommand timing = ParseMetaCommand("\\timing   on ");
  EXPECT_EQ(timing.kind, MetaCommandKind::kTiming);
  EXPECT_EQ(timing.args, std::vector<std::string>{"on"});
  MetaCommand describe = ParseMetaCommand("\\d \"My Table\"");
  EXPECT_EQ(describe.args, std::vector<std::string>{"\"My Table\""});
  MetaCommand connect = ParseMetaCommand("\\c other;");
  EXPECT_EQ(connect.args, std::vector<std::string>{"other"});
  EXPECT_TRUE(ParseMetaCommand("\\d").args.empty());
  EXPECT_EQ(ParseMetaCommand("\\format json").args, std::vector<std::string>{"json"});
}

ParsedArguments Parse(std::vector<std::string_view> args) { return ParseArguments(args); }

TEST(ShellArguments, Defaults) {
  ParsedArguments parsed = Parse({});
  EXPECT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.options.target, "");
  EXPECT_TRUE(parsed.options.sources.empty());
  EXPECT_EQ(parsed.options.format, OutputFormat::kTable);
  EXPECT_FALSE(parsed.options.timing);
}

TEST(ShellArguments, CommandsAndFilesKeepTheirOrder) {
  ParsedArguments parsed =
      Parse({"-c", "SELECT 1", "-f", "a.sql", "--command=SELECT 2", "-cSELECT 3", "--file", "b"});
  ASSERT_EQ(parsed.error, "");
  const auto& sources = parsed.options.sources;
  ASSERT_EQ(sources.size(), 5u);
  EXPECT_EQ(sources[0].kind, ScriptSource::Kind::kCommand);
  EXPECT_EQ(sources[0].text, "SELECT 1");
  EXPECT_EQ(sources[1].kind, ScriptSource::Kind::kFile);
  EXPECT_EQ(sources[1].text, "a.sql");
  EXPECT_EQ(sources[2].text, "SELECT 2");
  EXPECT_EQ(sources[3].text, "SELECT 3");
  EXPECT_EQ(sources[4].kind, ScriptSource::Kind::kFile);
  EXPECT_EQ(sources[4].text, "b");
}

TEST(ShellArguments, FormatTimingHelpVersionTarget) {
  ParsedArguments parsed = Parse({"--format", "csv", "--timing", "lyt://h:1/db", "--help", "-V"});
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.options.format, OutputFormat::kCsv);
  EXPECT_TRUE(parsed.options.timing);
  EXPECT_TRUE(parsed.options.help);
  EXPECT_TRUE(parsed.options.version);
  EXPECT_EQ(parsed.options.target, "lyt://h:1/db");
  EXPECT_EQ(Parse({"--format=json"}).options.format, OutputFormat::kJson);
}

TEST(ShellArguments, UsageErrors) {
  EXPECT_NE(Parse({"--format", "xml"}).error, "");
  EXPECT_NE(Parse({"--format"}).error, "");
  EXPECT_NE(Parse({"-c"}).error, "");
  EXPECT_NE(Parse({"--bogus"}).error, "");
  EXPECT_NE(Parse({"a", "b"}).error, "");
  EXPECT_EQ(Parse({"--", "-odd-dir"}).options.target, "-odd-dir");
}

TEST(ShellArguments, TargetKinds) {
  EXPECT_EQ(ClassifyTarget(""), TargetKind::kInMemory);
  EXPECT_EQ(ClassifyTarget("lyt://localhost"), TargetKind::kServer);
  EXPECT_EQ(ClassifyTarget("/var/lib/lyt"), TargetKind::kDataDirectory);
  EXPECT_EQ(ClassifyTarget("data"), TargetKind::kDataDirectory);
}

TEST(ShellArguments, HelpMentionsEveryOption) {
  std::string help = kHelpText;
  for (const char* option : {"-c", "-f", "--format", "--timing", "--help", "--version",
                             "ON_ERROR_STOP"}) {
    EXPECT_NE(help.find(option), std::string::npos) << option;
  }
}

}  // namespace
}  // namespace lyt::shell
