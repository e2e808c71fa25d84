// Reads one release from the extension's reference tables into ReleaseData (the compiler's
// input), the SQL twin of hccraf::load_release_dir.
#pragma once
#include <string>

#include "../core/release_data.hpp"

namespace hccraf::pg {

// Throws InputError when the release is not registered, PgError on SQL failure.
ReleaseData load_release_from_tables(const std::string& model_version, int payment_year);

}  // namespace hccraf::pg
