#include <algorithm>

#include "exec/scalar_function.h"

namespace lyt {

const FunctionRegistry& FunctionRegistry::Global() {
  // Built on first use; C++ guarantees a single, thread-safe initialization.
  static const FunctionRegistry registry = [] {
    FunctionRegistry r;
    RegisterMathFunctions(r);
    RegisterStringFunctions(r);
    RegisterDateFunctions(r);
    RegisterMiscFunctions(r);
    return r;
  }();
  return registry;
}

void FunctionRegistry::Add(ScalarFunction function) {
  std::string name = function.name;
  functions_[name].push_back(std::move(function));
}

const std::vector<ScalarFunction>* FunctionRegistry::Find(std::string_view name) const {
  auto it = functions_.find(std::string(name));
  return it == functions_.end() ? nullptr : &it->second;
}

std::vector<std::string> FunctionRegistry::Names() const {
  std::vector<std::string> names;
  names.reserve(functions_.size());
  for (const auto& [name, overloads] : functions_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace lyt
