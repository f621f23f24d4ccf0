#include "common/date_unit.h"

namespace lyt {

// Unit names as PostgreSQL spells them, with its abbreviations and plurals.
std::optional<DateUnit> LookupDateUnit(std::string_view name) {
  struct Entry {
    std::string_view name;
    DateUnit unit;
  };
  static constexpr Entry kUnits[] = {
      {"microsecond", DateUnit::Microseconds}, {"microseconds", DateUnit::Microseconds}, {"us", DateUnit::Microseconds},
      {"usec", DateUnit::Microseconds}, {"usecs", DateUnit::Microseconds}, {"useconds", DateUnit::Microseconds},
      {"millisecond", DateUnit::Milliseconds}, {"milliseconds", DateUnit::Milliseconds}, {"ms", DateUnit::Milliseconds},
      {"msec", DateUnit::Milliseconds}, {"msecs", DateUnit::Milliseconds}, {"mseconds", DateUnit::Milliseconds},
      {"second", DateUnit::Second}, {"seconds", DateUnit::Second}, {"s", DateUnit::Second}, {"sec", DateUnit::Second},
      {"secs", DateUnit::Second}, {"minute", DateUnit::Minute}, {"minutes", DateUnit::Minute}, {"m", DateUnit::Minute},
      {"min", DateUnit::Minute}, {"mins", DateUnit::Minute}, {"hour", DateUnit::Hour}, {"hours", DateUnit::Hour},
      {"h", DateUnit::Hour}, {"hr", DateUnit::Hour}, {"hrs", DateUnit::Hour}, {"day", DateUnit::Day}, {"days", DateUnit::Day},
      {"d", DateUnit::Day}, {"week", DateUnit::Week}, {"weeks", DateUnit::Week}, {"w", DateUnit::Week},
      {"month", DateUnit::Month}, {"months", DateUnit::Month}, {"mon", DateUnit::Month}, {"mons", DateUnit::Month},
      {"quarter", DateUnit::Quarter}, {"qtr", DateUnit::Quarter}, {"year", DateUnit::Year}, {"years", DateUnit::Year},
      {"y", DateUnit::Year}, {"yr", DateUnit::Year}, {"yrs", DateUnit::Year}, {"decade", DateUnit::Decade},
      {"decades", DateUnit::Decade}, {"dec", DateUnit::Decade}, {"decs", DateUnit::Decade}, {"century", DateUnit::Century},
      {"centuries", DateUnit::Century}, {"c", DateUnit::Century}, {"cent", DateUnit::Century},
      {"millennium", DateUnit::Millennium}, {"millennia", DateUnit::Millennium}, {"millenniums", DateUnit::Millennium},
      {"mil", DateUnit::Millennium}, {"mils", DateUnit::Millennium}, {"epoch", DateUnit::Epoch}, {"dow", DateUnit::Dow},
      {"isodow", DateUnit::IsoDow}, {"doy", DateUnit::Doy}, {"isoyear", DateUnit::IsoYear},
  };
  for (const Entry& e : kUnits) {
    if (e.name == name) return e.unit;
  }
  return std::nullopt;
}

}  // namespace lyt
