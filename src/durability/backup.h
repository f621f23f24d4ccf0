// BACKUP TO 'dir': a consistent copy of everything committed, taken while writes go on.
//
// The copy is a checkpoint of one snapshot (written under the catalog lock held shared, like a
// checkpoint: queries and DML go on, DDL waits) plus an empty first log segment, so `dir` is a
// complete data directory: `lyt dir` opens it, and `lytdb --data-dir dir` adopts it (server.md).
// Before the snapshot is written, the source's log is flushed, so the copy holds no commit that
// a crash of the source could still lose.
#pragma once

#include <string>

#include "durability/checkpoint.h"
#include "lyt/status.h"

namespace lyt {
class Engine;
}

namespace lyt::durability {

// Writes the backup into `dir`, which must not exist or be an empty directory (its parent must
// exist). Errors: 58030 (I/O, including a target in use), 53100 (disk full); a failed backup
// leaves no file that looks like a complete checkpoint.
Status WriteBackup(Engine& engine, const std::string& dir, CheckpointInfo* info);

}  // namespace lyt::durability
