// Tab completion: which words complete what the user typed. Header-only and pure (the libedit
// glue is in line_reader.cc), unit-tested without the lyt program.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "meta_command.h"

namespace lyt::shell {

// The SQL key words offered for completion: those that start statements and clauses.
inline const std::vector<std::string_view>& CompletionKeywords() {
  static const std::vector<std::string_view> words = {
      "ADD", "ALL", "ALTER", "AND", "AS", "ASC", "BEGIN", "BETWEEN", "BIGINT", "BLOB", "BOOLEAN",
      "BY", "CASE", "CAST", "COLUMN", "COMMIT", "CONSTRAINT", "COPY", "COUNT", "CREATE", "CROSS",
      "DATABASE", "DATABASES", "DATE", "DEFAULT", "DELETE", "DESC", "DESCRIBE", "DISTINCT",
      "DOUBLE", "DROP", "ELSE", "END", "EXCEPT", "EXISTS", "EXPLAIN", "FALSE", "FROM", "FULL",
      "GRANT", "GRANTS", "GROUP", "HAVING", "IF", "IN", "INDEX", "INNER", "INSERT", "INTEGER",
      "INTERSECT", "INTO", "IS", "JOIN", "KEY", "LEFT", "LIKE", "LIMIT", "NOT", "NULL", "OFFSET",
      "ON", "OR", "ORDER", "OUTER", "PASSWORD", "PRECISION", "PRIMARY", "REAL", "REFERENCES",
      "RENAME", "REVOKE", "RIGHT", "ROLLBACK", "SELECT", "SET", "SHOW", "SMALLINT", "TABLE",
      "TABLES", "TEMPORARY", "TEXT", "THEN", "TIMESTAMP", "TO", "TRUE", "TRUNCATE", "UNION",
      "UNIQUE", "UPDATE", "USE", "USER", "USERS", "USING", "VALUES", "VARCHAR", "VIEW", "WHEN",
      "WHERE", "WITH",
  };
  return words;
}

namespace detail {

inline bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (AsciiLower(text[i]) != AsciiLower(prefix[i])) return false;
  }
  return true;
}

}  // namespace detail

// The words that complete `prefix` (the word under the cursor), sorted and without repeats:
// after a backslash at the start of the line, backslash command names; otherwise key words
// (in lower case when the prefix starts with a lower-case letter, as psql does) and the names
// in `tables`, matched without regard to case. An empty prefix offers the tables only, not a
// screenful of key words.
inline std::vector<std::string> CompletionCandidates(std::string_view prefix,
                                                     const std::vector<std::string>& tables) {
  std::vector<std::string> words;
  if (prefix.starts_with('\\')) {
    for (const MetaCommandSpec& spec : MetaCommandSpecs()) {
      for (std::string_view name : spec.names) {
        if (name.starts_with(prefix)) words.emplace_back(name);
      }
    }
  } else {
    bool lower = !prefix.empty() && prefix[0] >= 'a' && prefix[0] <= 'z';
    if (!prefix.empty()) {
      for (std::string_view keyword : CompletionKeywords()) {
        if (!detail::StartsWithNoCase(keyword, prefix)) continue;
        std::string word(keyword);
        if (lower) std::transform(word.begin(), word.end(), word.begin(), detail::AsciiLower);
        words.push_back(std::move(word));
      }
    }
    for (const std::string& table : tables) {
      if (detail::StartsWithNoCase(table, prefix)) words.push_back(table);
    }
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

}  // namespace lyt::shell
