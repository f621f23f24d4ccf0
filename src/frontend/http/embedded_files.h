// Files built into lytdb (cmake/embed_files.cmake generates their definitions): the dashboard's
// web/dist and the OpenAPI document docs/openapi.json.
#pragma once

#include <string_view>
#include <vector>

namespace lyt::frontend::http {

struct EmbeddedFile {
  std::string_view name;  // relative to web/dist: "index.html", "app.js"
  std::string_view content;
};

// Empty when web/dist was not built before lytdb.
const std::vector<EmbeddedFile>& DashboardFiles();
std::string_view OpenApiDocument();

}  // namespace lyt::frontend::http
