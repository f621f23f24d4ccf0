// COPY table FROM 'file' / COPY table|(query) TO 'file', in PostgreSQL's CSV format.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/cast.h"
#include "common/error.h"
#include "exec/expression_executor.h"
#include "exec/physical_operator.h"
#include "main/statement_context.h"

namespace lyt {

namespace {

struct CsvOptions {
  bool header = false;
  char delimiter = ',';
  char quote = '"';
  char escape = '"';
  std::string null_string;  // unquoted text read as NULL
};

bool ParseBool(const std::string& name, const std::string& v) {
  if (v == "true" || v == "on" || v == "1" || v.empty()) return true;
  if (v == "false" || v == "off" || v == "0") return false;
  throw Error(sqlstate::kSyntaxError, name + " requires a Boolean value");
}

char SingleChar(const std::string& name, const std::string& v) {
  if (v.size() != 1) throw Error(sqlstate::kFeatureNotSupported, "COPY " + name + " must be a single one-byte character");
  return v[0];
}

CsvOptions ParseOptions(const ast::CopyStmt& stmt) {
  CsvOptions o;
  bool escape_set = false;
  for (const auto& [name, value] : stmt.options) {
    std::string v = value;
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "format") {
      if (v != "csv") throw Error(sqlstate::kFeatureNotSupported, "COPY format \"" + value + "\" is not supported (use csv)", stmt.pos);
    } else if (name == "header") {
      o.header = ParseBool(name, v);
    } else if (name == "delimiter") {
      o.delimiter = SingleChar(name, value);
    } else if (name == "quote") {
      o.quote = SingleChar(name, value);
    } else if (name == "escape") {
      o.escape = SingleChar(name, value);
      escape_set = true;
    } else if (name == "null") {
      o.null_string = value;
    } else {
      throw Error(sqlstate::kSyntaxError, "option \"" + name + "\" not recognized", stmt.pos);
    }
  }
  if (!escape_set) o.escape = o.quote;
  if (o.delimiter == o.quote || o.delimiter == '\n' || o.delimiter == '\r') {
    throw Error(sqlstate::kInvalidParameterValue, "COPY delimiter and quote must be different and not a newline");
  }
  return o;
}

[[noreturn]] void ThrowIo(const std::string& what, const std::string& path) {
  const char* state = errno == ENOENT ? "58P01" : sqlstate::kIoError;  // undefined_file
  throw Error(state, "could not " + what + " file \"" + path + "\": " + std::strerror(errno));
}

// Reads CSV records a block at a time. Fields of the current record are views into the block
// or, when unescaping was needed, into `heap`.
class CsvReader {
 public:
  CsvReader(const std::string& path, const CsvOptions& options) : path_(path), options_(options) {
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) ThrowIo("open", path);
  }
  ~CsvReader() {
    if (file_) std::fclose(file_);
  }

  // Parses the next record into `fields`, `quoted[i]` telling whether field i was quoted.
  // Returns false at the end of the file.
  bool Next(std::vector<std::string_view>& fields, std::vector<bool>& quoted, StringHeap& heap) {
    fields.clear();
    quoted.clear();
    if (!Fill(1)) return false;
    ++line_;
    std::string field;
    while (true) {
      bool was_quoted = false;
      size_t start = pos_;
      bool simple = true;
      if (pos_ < size_ && buf_[pos_] == options_.quote) {
        was_quoted = true;
        simple = false;
        field.clear();
        ++pos_;
        while (true) {
          if (!Fill(1)) throw Error(sqlstate::kBadCopyFileFormat, "unterminated CSV quoted field (line " + std::to_string(line_) + ")");
          char c = buf_[pos_];
          if (c == options_.escape && Fill(2)) {
            char next = buf_[pos_ + 1];
            if (next == options_.quote || (options_.escape != options_.quote && next == options_.escape)) {
              field += next;
              pos_ += 2;
              continue;
            }
          }
          if (c == options_.quote) {
            ++pos_;
            break;
          }
          if (c == '\n') ++line_;
          field += c;
          ++pos_;
        }
        // Text after the closing quote up to the delimiter is kept (PostgreSQL does the same).
        while (Fill(1) && buf_[pos_] != options_.delimiter && buf_[pos_] != '\n' && buf_[pos_] != '\r') field += buf_[pos_++];
      } else {
        // Scan without consuming, so a refill (which moves the unread bytes) keeps pos_ valid.
        size_t len = 0;
        while (true) {
          while (pos_ + len < size_ && !IsFieldEnd(buf_[pos_ + len])) ++len;
          if (pos_ + len < size_ || eof_ || !Fill(len + 1)) break;
        }
        start = pos_;
        pos_ += len;
      }
      if (simple) {
        fields.push_back(std::string_view(buf_.data() + start, pos_ - start));
        // The view must survive later refills: copy it into the batch heap.
        fields.back() = heap.Add(fields.back()).view();
      } else {
        fields.push_back(heap.Add(field).view());
      }
      quoted.push_back(was_quoted);
      if (!Fill(1)) return true;
      char c = buf_[pos_];
      if (c == options_.delimiter) {
        ++pos_;
        continue;
      }
      if (c == '\r') {
        ++pos_;
        if (Fill(1) && buf_[pos_] == '\n') ++pos_;
        return true;
      }
      ++pos_;  // '\n'
      return true;
    }
  }

  int64_t line() const { return line_; }

 private:
  bool IsFieldEnd(char c) const { return c == options_.delimiter || c == '\n' || c == '\r'; }

  // Makes at least n unread bytes available if the file has them.
  bool Fill(size_t n) {
    if (size_ - pos_ >= n) return true;
    if (eof_) return size_ - pos_ >= n;
    if (size_ > pos_) std::memmove(buf_.data(), buf_.data() + pos_, size_ - pos_);
    size_ -= pos_;
    pos_ = 0;
    if (buf_.size() < std::max<size_t>(n, kBlock) * 2) buf_.resize(std::max<size_t>(n, kBlock) * 2);
    while (size_ < n && !eof_) {
      size_t got = std::fread(buf_.data() + size_, 1, buf_.size() - size_, file_);
      if (got == 0) {
        if (std::ferror(file_)) ThrowIo("read", path_);
        eof_ = true;
      }
      size_ += got;
    }
    return size_ - pos_ >= n;
  }

  static constexpr size_t kBlock = 1 << 20;
  std::string path_;
  CsvOptions options_;
  std::FILE* file_ = nullptr;
  std::vector<char> buf_;
  size_t pos_ = 0, size_ = 0;
  bool eof_ = false;
  int64_t line_ = 0;
};

std::vector<idx_t> CopyColumns(const TableEntry& table, const std::vector<std::string>& names, int pos) {
  std::vector<idx_t> cols;
  if (names.empty()) {
    for (idx_t i = 0; i < table.columns().size(); ++i) cols.push_back(i);
    return cols;
  }
  for (const auto& n : names) {
    auto c = table.FindColumn(n);
    if (!c) throw Error(sqlstate::kUndefinedColumn, "column \"" + n + "\" of relation \"" + table.name() + "\" does not exist", pos);
    cols.push_back(*c);
  }
  return cols;
}

// Casts the text batch into a typed batch; on a bad value names the line.
void CastBatch(const TableEntry& table, const std::vector<idx_t>& cols, DataChunk& text, DataChunk& typed,
               int64_t first_line) {
  for (size_t i = 0; i < cols.size(); ++i) {
    Vector& dst = typed.column(cols[i]);
    try {
      CastVector(text.column(i), dst, nullptr, text.size());
    } catch (const Error& e) {
      for (idx_t r = 0; r < text.size(); ++r) {
        try {
          CastValue(text.column(i).GetValue(r), dst.type());
        } catch (const Error&) {
          throw Error(e.sqlstate(), std::string(e.what()) + " (COPY " + table.name() + ", line " +
                                        std::to_string(first_line + static_cast<int64_t>(r)) + ", column " +
                                        table.columns()[cols[i]].name + ")");
        }
      }
      throw;
    }
  }
  typed.SetSize(text.size());
}

ResultPtr CopyFrom(StatementContext& ctx, ast::CopyStmt& stmt, const CsvOptions& options) {
  Binder binder = ctx.MakeBinder();
  TableEntry& table = binder.ResolveTable(stmt.table);
  std::vector<idx_t> cols = CopyColumns(table, stmt.columns, stmt.pos);
  CsvReader reader(stmt.filename, options);
  std::vector<std::string_view> fields;
  std::vector<bool> quoted;
  std::vector<LogicalType> text_types(cols.size(), LogicalType(TypeId::Varchar));
  std::vector<std::unique_ptr<DataChunk>> batches;
  auto text = std::make_unique<DataChunk>(text_types);
  auto heap = std::make_shared<StringHeap>();
  MemoryReservation reservation(ctx.memory);
  // Columns not in the COPY list get their DEFAULT.
  std::vector<std::pair<idx_t, BoundExprPtr>> defaults;
  for (idx_t c = 0; c < table.columns().size(); ++c) {
    if (std::find(cols.begin(), cols.end(), c) == cols.end()) defaults.emplace_back(c, BindDefault(binder, table.columns()[c]));
  }
  ExecContext exec(ctx.functions, ctx.memory, ctx.txn.snapshot());
  if (options.header) {
    StringHeap scratch;
    reader.Next(fields, quoted, scratch);
  }
  int64_t batch_first_line = reader.line() + 1;
  auto flush = [&] {
    if (text->size() == 0) return;
    auto typed = std::make_unique<DataChunk>(table.Types());
    for (const auto& [c, expr] : defaults) {
      ExpressionExecutor::Execute(*expr, *text, nullptr, text->size(), typed->column(c), exec);
    }
    CastBatch(table, cols, *text, *typed, batch_first_line);
    reservation.Add(typed->MemoryUsage() + heap->bytes_allocated());
    batches.push_back(std::move(typed));
    text->Reset();
    heap = std::make_shared<StringHeap>();
    batch_first_line = reader.line() + 1;
  };
  while (true) {
    StringHeap& h = *heap;
    if (!reader.Next(fields, quoted, h)) break;
    if (fields.size() == 1 && fields[0].empty() && !quoted[0] && cols.size() != 1) continue;  // blank line
    if (fields.size() != cols.size()) {
      std::string what = fields.size() < cols.size() ? "missing data for column \"" + table.columns()[cols[fields.size()]].name + "\""
                                                     : std::string("extra data after last expected column");
      throw Error(sqlstate::kBadCopyFileFormat, what + " (COPY " + table.name() + ", line " + std::to_string(reader.line()) + ")");
    }
    idx_t row = text->size();
    for (size_t i = 0; i < fields.size(); ++i) {
      Vector& v = text->column(i);
      bool is_null = !quoted[i] && fields[i] == options.null_string;
      v.SetNull(row, is_null);
      v.data<StringRef>()[row] = StringRef{fields[i].data(), static_cast<uint32_t>(fields[i].size())};
    }
    text->SetSize(row + 1);
    if (text->size() == kVectorSize) flush();
  }
  flush();
  int64_t count = InsertRows(ctx, table, batches);
  return QueryResult::MakeCommand("COPY " + std::to_string(count), count);
}

void WriteField(std::string& out, const std::string& text, const CsvOptions& o) {
  bool needs_quotes = text.empty() || text == o.null_string;
  for (char c : text) {
    if (c == o.delimiter || c == o.quote || c == '\n' || c == '\r' || c == o.escape) {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out += text;
    return;
  }
  out += o.quote;
  for (char c : text) {
    if (c == o.quote || c == o.escape) out += o.escape;
    out += c;
  }
  out += o.quote;
}

ResultPtr CopyTo(StatementContext& ctx, ast::CopyStmt& stmt, const CsvOptions& options) {
  Binder binder = ctx.MakeBinder();
  LogicalOpPtr plan;
  std::vector<std::string> names;
  if (stmt.query) {
    plan = binder.BindQuery(*stmt.query);
    names = plan->names;
  } else {
    TableEntry& table = binder.ResolveTable(stmt.table);
    auto get = std::make_unique<LogicalOp>(LogicalKind::Get);
    get->table = &table;
    get->column_ids = CopyColumns(table, stmt.columns, stmt.pos);
    for (idx_t c : get->column_ids) {
      get->types.push_back(table.columns()[c].type);
      names.push_back(table.columns()[c].name);
    }
    plan = std::move(get);
  }
  std::FILE* file = std::fopen(stmt.filename.c_str(), "wb");
  if (!file) ThrowIo("open", stmt.filename);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> guard(file, &std::fclose);
  std::string out;
  if (options.header) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (i) out += options.delimiter;
      WriteField(out, names[i], options);
    }
    out += '\n';
  }
  auto op = PlanPhysical(*plan);
  ExecContext exec(ctx.functions, ctx.memory, ctx.txn.snapshot());
  op->Open(exec);
  DataChunk chunk(op->types());
  int64_t count = 0;
  while (op->Next(exec, chunk)) {
    for (idx_t r = 0; r < chunk.size(); ++r) {
      for (idx_t c = 0; c < chunk.ColumnCount(); ++c) {
        if (c) out += options.delimiter;
        Value v = chunk.GetValue(c, r);
        if (v.is_null()) {
          out += options.null_string;
        } else if (v.type().id == TypeId::Boolean) {
          out += v.AsBool() ? 't' : 'f';  // PostgreSQL's boolean output in COPY
        } else {
          WriteField(out, v.ToString(), options);
        }
      }
      out += '\n';
    }
    count += static_cast<int64_t>(chunk.size());
    if (out.size() > (1 << 20)) {
      if (std::fwrite(out.data(), 1, out.size(), file) != out.size()) ThrowIo("write", stmt.filename);
      out.clear();
    }
  }
  if (std::fwrite(out.data(), 1, out.size(), file) != out.size()) ThrowIo("write", stmt.filename);
  if (std::fflush(file) != 0) ThrowIo("write", stmt.filename);
  return QueryResult::MakeCommand("COPY " + std::to_string(count), count);
}

}  // namespace

ResultPtr ExecuteCopy(StatementContext& ctx, ast::CopyStmt& stmt) {
  CsvOptions options = ParseOptions(stmt);
  return stmt.is_from ? CopyFrom(ctx, stmt, options) : CopyTo(ctx, stmt, options);
}

}  // namespace lyt
