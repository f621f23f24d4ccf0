// The engine's query-fatal error: thrown anywhere inside parse/bind/plan/execute, caught once per
// statement in the session and turned into a lyt::Status. Storage and I/O code that can fail in
// expected ways returns Status instead.
#pragma once

#include <stdexcept>
#include <string>

#include "lyt/status.h"

namespace lyt {

// SQLSTATE codes used by LytDB (PostgreSQL's values).
namespace sqlstate {
inline constexpr const char* kSyntaxError = "42601";
inline constexpr const char* kUndefinedTable = "42P01";
inline constexpr const char* kUndefinedColumn = "42703";
inline constexpr const char* kUndefinedFunction = "42883";
inline constexpr const char* kUndefinedObject = "42704";
inline constexpr const char* kAmbiguousColumn = "42702";
inline constexpr const char* kDuplicateTable = "42P07";
inline constexpr const char* kDuplicateColumn = "42701";
inline constexpr const char* kDuplicateDatabase = "42P04";
inline constexpr const char* kDuplicateObject = "42710";
inline constexpr const char* kInvalidCatalogName = "3D000";  // unknown database
inline constexpr const char* kDatatypeMismatch = "42804";
inline constexpr const char* kCannotCoerce = "42846";  // no cast between the two types
inline constexpr const char* kGroupingError = "42803";
inline constexpr const char* kInvalidColumnReference = "42P10";
inline constexpr const char* kUndefinedParameter = "42P02";
inline constexpr const char* kObjectInUse = "55006";
inline constexpr const char* kSerializationFailure = "40001";
inline constexpr const char* kActiveSqlTransaction = "25001";
inline constexpr const char* kNoActiveSqlTransaction = "25P01";
inline constexpr const char* kInFailedSqlTransaction = "25P02";
inline constexpr const char* kInvalidSavepoint = "3B001";
inline constexpr const char* kReadOnlySqlTransaction = "25006";
inline constexpr const char* kDivisionByZero = "22012";
inline constexpr const char* kNumericOutOfRange = "22003";
inline constexpr const char* kInvalidTextRepresentation = "22P02";
inline constexpr const char* kInvalidDatetimeFormat = "22007";
inline constexpr const char* kDatetimeFieldOverflow = "22008";
inline constexpr const char* kIntervalFieldOverflow = "22015";
inline constexpr const char* kStringDataRightTruncation = "22001";
inline constexpr const char* kInvalidParameterValue = "22023";
inline constexpr const char* kInvalidEscapeSequence = "22025";
inline constexpr const char* kCardinalityViolation = "21000";
inline constexpr const char* kNotNullViolation = "23502";
inline constexpr const char* kUniqueViolation = "23505";
inline constexpr const char* kFeatureNotSupported = "0A000";
inline constexpr const char* kOutOfMemory = "53200";
inline constexpr const char* kProgramLimitExceeded = "54000";
inline constexpr const char* kIoError = "58030";
inline constexpr const char* kDiskFull = "53100";
inline constexpr const char* kDataCorrupted = "XX001";
inline constexpr const char* kBadCopyFileFormat = "22P04";
inline constexpr const char* kProtocolViolation = "08P01";
inline constexpr const char* kInvalidAuthorization = "28000";
inline constexpr const char* kInvalidPassword = "28P01";
inline constexpr const char* kQueryCanceled = "57014";
inline constexpr const char* kAdminShutdown = "57P01";
inline constexpr const char* kIdleSessionTimeout = "57P05";
inline constexpr const char* kInvalidSqlStatementName = "26000";
inline constexpr const char* kTooManyConnections = "53300";
inline constexpr const char* kConnectionException = "08000";
inline constexpr const char* kUnableToConnect = "08001";
inline constexpr const char* kConnectionFailure = "08006";
inline constexpr const char* kInsufficientPrivilege = "42501";
inline constexpr const char* kInternalError = "XX000";
}  // namespace sqlstate

class Error : public std::runtime_error {
 public:
  // `position` is a 0-based byte offset into the statement text, or -1 when not tied to one.
  Error(const char* state, std::string message, int position = -1)
      : std::runtime_error(std::move(message)), sqlstate_(state), position_(position) {}

  const char* sqlstate() const { return sqlstate_; }
  int position() const { return position_; }

 private:
  const char* sqlstate_;
  int position_;
};

// 40001 for a writer that met a row changed by a transaction that committed after the writer's
// snapshot was taken. A statement that is its own transaction can run again on a fresh snapshot
// and succeed; a conflict with a transaction still open is a plain Error.
class StaleSnapshotError : public Error {
 public:
  StaleSnapshotError() : Error(sqlstate::kSerializationFailure, "could not serialize access due to concurrent update") {}
};

// Shorthands for the common cases.
[[noreturn]] void ThrowSyntax(std::string message, int position);
[[noreturn]] void ThrowInternal(std::string message);

// Converts an Error into a Status; `sql` (the statement's text) turns the byte position into
// line and column.
Status ToStatus(const Error& error, std::string_view sql);

}  // namespace lyt
