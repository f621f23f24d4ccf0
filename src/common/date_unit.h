// Names of date and time units ('day', 'hours', 'mon', 'epoch', ...) as PostgreSQL spells them,
// shared by INTERVAL input and by extract/date_part/date_trunc.
#pragma once

#include <optional>
#include <string_view>

namespace lyt {

enum class DateUnit {
  Microseconds, Milliseconds, Second, Minute, Hour, Day, Week, Month, Quarter, Year, Decade, Century,
  Millennium, Epoch, Dow, IsoDow, Doy, IsoYear,
};

// A lower-case unit name, with PostgreSQL's abbreviations and plurals -> the unit; nullopt for
// other words.
std::optional<DateUnit> LookupDateUnit(std::string_view name);

}  // namespace lyt
